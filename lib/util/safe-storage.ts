import { createMemoryStorage } from './memory-storage';

/** Storage that is known to work, and whether it is the browser's own (persistent) one. */
export interface OpenedStorage {
  readonly storage: Storage;
  /** False when the browser's storage threw and memory stands in for it. */
  readonly persistent: boolean;
}

const PROBE_KEY = 'framewire:probe';

/**
 * Opens a Web Storage area, proving it with a write. Merely touching `localStorage` throws
 * on some locked-down pages, and Safari's old private mode throws on the first write; either
 * way the caller gets working memory storage instead of an exception.
 */
export function openStorage(access: () => Storage | null | undefined): OpenedStorage {
  try {
    const storage = access();
    if (storage) {
      storage.setItem(PROBE_KEY, '1');
      storage.removeItem(PROBE_KEY);
      return { storage, persistent: true };
    }
  } catch {
    // Unavailable: fall through to memory.
  }
  return { storage: createMemoryStorage(), persistent: false };
}
