export { createWidgetCache, DEFAULT_WIDGET_CACHE_OPTIONS } from './widget-cache';
export type { WidgetCache, WidgetCacheOptions } from './widget-cache';
export type { PutWidget, PutWidgetResult, WidgetRegistry } from './types';
