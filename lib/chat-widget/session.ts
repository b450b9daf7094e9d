import { uuidv7 } from '../util/ids';
import type { ParentStorageAdapter } from './parent-storage';

/** Storage key of the visitor's session id, in the widget's namespace. */
export const SESSION_ID_KEY = 'session_id';

/** The session id kept in the host page: the stored one, or a new one stored now. */
export async function ensureSessionId(storage: Pick<ParentStorageAdapter, 'getItem' | 'setItem'>): Promise<string> {
  const existing = await storage.getItem(SESSION_ID_KEY);
  if (existing) return existing;
  const created = uuidv7();
  await storage.setItem(SESSION_ID_KEY, created);
  return created;
}
