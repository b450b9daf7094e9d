export { createWidgetConfigLoader } from './loader';
export { DEFAULT_WIDGET_CONFIG_LOADER_CONFIG } from './config';
export { configUrl, requestConfig } from './request';
export { checkConfig, parseStoredConfig, serializeStoredConfig } from './stored-config';
export { readCollectorUrl } from './collector-url';
export type { LoadedContent, WidgetConfigLoader } from './loader';
export type { ConfigSource, ConfigStorage, InvalidConfigReport, WidgetConfigLoaderConfig, WidgetConfigLoaderOptions } from './config';
export type { ConfigRequest, ConfigResponse } from './request';
export type { ConfigCheck, StoredConfig } from './stored-config';
