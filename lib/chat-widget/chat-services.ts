import type { BridgeClient } from './bridge-client';
import { BridgeFigures, ConnectionMonitor } from './connection-monitor';
import type { ConnectionMonitorConfig } from './connection-monitor';
import { ParentStorageAdapter } from './parent-storage';
import { EnhancedParentStorageAdapter } from './parent-storage-enhanced';
import type { EnhancedParentStorageOptions } from './parent-storage-enhanced';
import type { StoredValue } from './parent-storage-read';
import { EventOutbox } from './event-outbox';
import { Tracker } from './tracker';

/** What the chat needs of a storage adapter; both adapters have it. */
export interface ChatStorage {
  getItem(key: string): Promise<string | null>;
  /** The basic adapter returns a promise, the enhanced one nothing (it cannot fail). */
  setItem(key: string, value: string): Promise<void> | void;
  removeItem(key: string): Promise<void> | void;
  getItemSync(key: string): string | null;
  /** Sends debounced writes now (enhanced adapter only). */
  flush?(): void;
  /**
   * Reads a key and says whether the host answered (both adapters have it). Without it,
   * every `getItem` answer counts as the host's.
   */
  read?(key: string): Promise<StoredValue>;
  /** Keeps a value locally without sending it to the host (both adapters have it). */
  setFallbackItem?(key: string, value: string): void;
}

/** The storage adapter and, on the enhanced path, the connection monitor of one widget. */
export interface ChatServices {
  readonly storage: ChatStorage;
  /** `null` on the basic path and standalone (no host to monitor). */
  readonly monitor: ConnectionMonitor | null;
  readonly enhanced: boolean;
  /** Clicks and analytics events, handed to the host's queues through the bridge. */
  readonly tracker: Tracker;
  readonly outbox: EventOutbox;
  destroy(): void;
}

export interface ChatServicesOptions {
  /** `null`: standalone, no host page. */
  bridge: BridgeClient | null;
  widgetId: string;
  /** The enhanced adapter with a connection monitor; otherwise the basic adapter. @default false */
  useEnhancedStorage?: boolean;
  monitorConfig?: ConnectionMonitorConfig;
  storageConfig?: Omit<EnhancedParentStorageOptions, 'bridge' | 'monitor' | 'widgetId'>;
  /** @default false */
  debug?: boolean;
}

/** Builds (and starts) the storage of one widget; `destroy()` stops it all. */
export function createChatServices(options: ChatServicesOptions): ChatServices {
  const { bridge, widgetId, useEnhancedStorage = false, debug = false } = options;
  if (!useEnhancedStorage) {
    const outbox = new EventOutbox({ widgetId, bridge, debug });
    return {
      storage: new ParentStorageAdapter({ widgetId, bridge }),
      monitor: null,
      enhanced: false,
      tracker: new Tracker(outbox),
      outbox,
      destroy: () => outbox.destroy(),
    };
  }
  const monitor = bridge ? new ConnectionMonitor({ ...options.monitorConfig, pinger: bridge, debug }) : null;
  monitor?.start();
  const storage = new EnhancedParentStorageAdapter({ ...options.storageConfig, widgetId, bridge, monitor, debug });
  const outbox = new EventOutbox({ widgetId, bridge, monitor, debug });
  // The heartbeat's figures, reported as `$bridge` events (see `BridgeFigures`).
  const figures = monitor ? new BridgeFigures(monitor) : null;
  return {
    storage,
    monitor,
    enhanced: true,
    tracker: new Tracker(outbox, figures),
    outbox,
    destroy() {
      figures?.destroy();
      outbox.destroy();
      storage.destroy();
      monitor?.destroy();
    },
  };
}
