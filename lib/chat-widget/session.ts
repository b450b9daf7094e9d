import { SESSION_ID_KEY, storageLength, WIDGET_STORAGE_BUDGETS } from '../protocol/limits';
import { uuidv7 } from '../util/ids';

export { SESSION_ID_KEY };

/** What {@link ensureSessionId} needs of a storage adapter (both adapters have it). */
export interface SessionStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void> | void;
  /** Sends debounced writes now (the enhanced adapter). */
  flush?(): void;
}

/**
 * The session id kept in the host page: the stored one, or a new one stored now. A stored
 * value over its budget (not one this widget wrote) is replaced rather than sent along with
 * every event.
 */
export async function ensureSessionId(storage: SessionStorageLike): Promise<string> {
  const existing = await storage.getItem(SESSION_ID_KEY);
  if (existing && storageLength(existing) <= WIDGET_STORAGE_BUDGETS.sessionId) return existing;
  const created = uuidv7();
  await storage.setItem(SESSION_ID_KEY, created);
  // A new visitor's id is worth a message at once rather than after a debounce.
  storage.flush?.();
  return created;
}
