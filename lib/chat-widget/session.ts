import { SESSION_ID_KEY } from '../protocol/limits';
import { uuidv7 } from '../util/ids';

export { SESSION_ID_KEY };

/** What {@link ensureSessionId} needs of a storage adapter (both adapters have it). */
export interface SessionStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void> | void;
  /** Sends debounced writes now (the enhanced adapter). */
  flush?(): void;
}

/** The session id kept in the host page: the stored one, or a new one stored now. */
export async function ensureSessionId(storage: SessionStorageLike): Promise<string> {
  const existing = await storage.getItem(SESSION_ID_KEY);
  if (existing) return existing;
  const created = uuidv7();
  await storage.setItem(SESSION_ID_KEY, created);
  // A new visitor's id is worth a message at once rather than after a debounce.
  storage.flush?.();
  return created;
}
