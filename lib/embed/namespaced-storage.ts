import { ErrorCode, FramewireError } from '../protocol/errors';
import { STORAGE_LIMITS, storageLength, storageNamespace } from '../protocol/limits';
import { openStorage } from '../util/safe-storage';

const quotaError = (message: string, cause?: unknown): FramewireError =>
  new FramewireError(ErrorCode.QUOTA_EXCEEDED, message, { cause });
/** `Key over 128 characters.`: one short form for every limit (the widget shows or logs it). */
const over = (what: string, limit: number): FramewireError => quotaError(`${what} over ${limit} characters.`);

/** The part of the host's localStorage one widget owns. */
export interface NamespacedStorage {
  getItem(key: string): string | null;
  /**
   * Writes a value; refused, the key keeps its last good value.
   * @throws FramewireError `QUOTA_EXCEEDED` over a limit or when the browser's quota is full.
   */
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** What the widget's keys and values take together, in `storageLength` units. */
  usage(): number;
  /** False when localStorage was unavailable and the data lives in memory only. */
  readonly persistent: boolean;
}

export interface NamespacedStorageOptions {
  widgetId: string;
  /** Where the data goes. @default the host window's localStorage, or memory where it throws */
  storage?: Storage;
  limits?: Partial<typeof STORAGE_LIMITS>;
}

/**
 * The widget's keys in the host's localStorage, all under `framewire:<widgetId>:`. Keys are
 * always prefixed, so a widget cannot name (read, overwrite or remove) any other key.
 */
export function createNamespacedStorage(options: NamespacedStorageOptions): NamespacedStorage {
  const { storage, persistent } = options.storage
    ? { storage: options.storage, persistent: true }
    : openStorage(() => globalThis.localStorage);
  const limits = { ...STORAGE_LIMITS, ...options.limits };
  const prefix = storageNamespace(options.widgetId);

  const checkKey = (key: string): void => {
    if (storageLength(key) > limits.maxKeyLength) {
      throw over('Key', limits.maxKeyLength);
    }
  };

  const usage = (): number => {
    let total = 0;
    for (let i = 0; i < storage.length; i++) {
      const fullKey = storage.key(i);
      if (fullKey === null || !fullKey.startsWith(prefix)) continue;
      total += storageLength(fullKey) - storageLength(prefix) + storageLength(storage.getItem(fullKey) ?? '');
    }
    return total;
  };

  return {
    persistent,
    usage,
    getItem(key) {
      checkKey(key);
      return storage.getItem(prefix + key);
    },
    setItem(key, value) {
      checkKey(key);
      if (storageLength(value) > limits.maxValueLength) {
        throw over('Value', limits.maxValueLength);
      }
      const previous = storage.getItem(prefix + key);
      const entry = (stored: string): number => storageLength(key) + storageLength(stored);
      const next = usage() - (previous === null ? 0 : entry(previous)) + entry(value);
      if (next > limits.maxTotalLength) {
        throw over("The widget's storage", limits.maxTotalLength);
      }
      // Every refusal above comes before the write, and a browser that throws on a full quota
      // leaves the old value in place: a refused write never removes the last good value.
      try {
        storage.setItem(prefix + key, value);
      } catch (cause) {
        throw quotaError("The host's storage is full.", cause);
      }
    },
    removeItem(key) {
      checkKey(key);
      storage.removeItem(prefix + key);
    },
  };
}
