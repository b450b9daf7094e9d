import { WIDGET_CONFIG_CACHE } from '../../protocol/collector';
import type { WidgetConfig } from '../../protocol/widget-document';

/** The loader's settings; every one has a default. */
export interface WidgetConfigLoaderConfig {
  /** Deadline of one config request (answer body included), in ms. @default 10000 */
  requestTimeoutMs?: number;
  /** Longest the cached copy in the host's storage is waited for before the collector is asked without it, in ms. @default 3000 */
  cacheWaitMs?: number;
  /** A check older than this is repeated when the panel opens, in ms. @default 60000 (the collector's `max-age`) */
  maxAgeMs?: number;
  /** Debug lines prefixed `[WidgetConfigLoader]`. @default false */
  debug?: boolean;
}

export const DEFAULT_WIDGET_CONFIG_LOADER_CONFIG = Object.freeze({
  requestTimeoutMs: 10_000,
  cacheWaitMs: 3000,
  maxAgeMs: WIDGET_CONFIG_CACHE.maxAgeSeconds * 1000,
  debug: false,
} as const satisfies Required<WidgetConfigLoaderConfig>);

/** What the loader needs of a storage adapter (both adapters have it): the host's storage, through the bridge. */
export interface ConfigStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void> | void;
  removeItem(key: string): Promise<void> | void;
  /** Sends debounced writes now (the enhanced adapter). */
  flush?(): void;
}

/** Where the content on screen came from. */
export type ConfigSource = 'default' | 'cache' | 'collector';

/** A config that failed `WidgetConfigSchema`, described without its content. */
export interface InvalidConfigReport {
  source: 'cache' | 'collector';
  /** Where the problems are (`content.theme.accentColor`), at most 10. */
  paths: string[];
}

export interface WidgetConfigLoaderOptions extends WidgetConfigLoaderConfig {
  widgetId: string;
  /** The collector's base URL; `null`: nothing is fetched (the cached copy or the defaults show). */
  collectorUrl: string | null;
  storage: ConfigStorage;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default Date.now */
  now?: () => number;
  /** Called with each config applied (cached or fetched): the widget passes its theme to the host. */
  onApply?: (config: WidgetConfig) => void;
  /** Called with each config ignored because it failed the schema. */
  onInvalid?: (report: InvalidConfigReport) => void;
}
