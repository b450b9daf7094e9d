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
 * way the caller gets working memory storage instead of an exception. A storage that refuses
 * the probe but holds keys is full, not unusable: it is kept, so what it holds is still read
 * (and each write it refuses is refused on its own), rather than hidden behind empty memory.
 */
export function openStorage(access: () => Storage | null | undefined): OpenedStorage {
  try {
    const storage = access();
    if (storage) {
      try {
        storage.setItem(PROBE_KEY, '1');
        storage.removeItem(PROBE_KEY);
      } catch (refused) {
        if (storage.length === 0) throw refused;
      }
      return { storage, persistent: true };
    }
  } catch {
    // Unavailable: fall through to memory.
  }
  return { storage: createMemoryStorage(), persistent: false };
}
