import { normalizeSettings } from '../../util/normalize-options';
import type { BridgeClient } from '../bridge-client';
import type { ConnectionListener, ConnectionState } from '../connection-monitor';
import type { RetryConfig } from '../retry';

/** The bridge as the adapter uses it; `getState`/`subscribe` matter only without a monitor. */
export type StorageBridge = Pick<BridgeClient, 'callWithTimeout'> & Partial<Pick<BridgeClient, 'getState' | 'subscribe'>>;

/** The monitor as the adapter uses it (a `ConnectionMonitor`). */
export interface ConnectionSource {
  getState(): ConnectionState;
  addListener(listener: ConnectionListener): () => void;
  checkConnection(): void;
}

export type PagehideSource = Pick<Window, 'addEventListener' | 'removeEventListener'>;

export interface EnhancedParentStorageOptions extends RetryConfig {
  /** Names the key namespace, `framewire:<widgetId>:`, here and in the host. @default 'default' */
  widgetId?: string;
  /**
   * The bridge to the host page. `null`: standalone (no host; the fallback is the store).
   * Left out: not bound yet (`attach` binds it); writes wait in the queue meanwhile.
   */
  bridge?: StorageBridge | null;
  /** Where the connection state comes from; without one, from the bridge's own state. */
  monitor?: ConnectionSource | null;
  /** Timeout of each host call, in ms. @default 2000 */
  requestTimeout?: number;
  /** How long a value read or written stays answerable without asking the host, in ms. @default 5000 */
  cacheTtl?: number;
  /** Writes of one key within this many ms are sent once, with the last value. @default 300 */
  debounceDelay?: number;
  /**
   * Longest a key's write waits while newer writes keep postponing it, in ms: a visitor who
   * keeps sending still has the conversation in the host every second. @default 1000
   */
  debounceMaxWait?: number;
  /** Most writes kept for the host while it cannot take them; the oldest is dropped. @default 100 */
  maxQueueSize?: number;
  /** Storage used while the host is unreachable. @default sessionStorage, or memory where that throws */
  fallback?: Storage;
  /** Where `pagehide` comes from. @default window, where there is one */
  target?: PagehideSource | null;
  /** The clock. @default Date.now (looked up at each call) */
  now?: () => number;
  /** Debug lines prefixed `[EnhancedParentStorageAdapter]`. @default false */
  debug?: boolean;
}

const DEFAULTS = {
  widgetId: 'default',
  maxAttempts: 3,
  initialDelay: 100,
  maxDelay: 2000,
  backoffMultiplier: 2,
  requestTimeout: 2000,
  cacheTtl: 5000,
  debounceDelay: 300,
  debounceMaxWait: 1000,
  maxQueueSize: 100,
  debug: false,
};

/** The adapter's settings with every default applied. */
export type ResolvedEnhancedStorageConfig = typeof DEFAULTS;

export const DEFAULT_ENHANCED_STORAGE_CONFIG: Readonly<ResolvedEnhancedStorageConfig> = Object.freeze(DEFAULTS);

/** Merges options over the defaults; `undefined` means "the default". */
export function normalizeEnhancedStorageConfig(options: EnhancedParentStorageOptions = {}): ResolvedEnhancedStorageConfig {
  return normalizeSettings<ResolvedEnhancedStorageConfig>(DEFAULT_ENHANCED_STORAGE_CONFIG, options);
}
