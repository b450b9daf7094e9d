import { ensureSessionId, SESSION_ID_KEY } from './session';
import { storageLength, WIDGET_STORAGE_BUDGETS } from '../protocol/limits';
import { uuidv7 } from '../util/ids';
import type { ChatStorage } from './chat-services';

/** A session id, and whether the host's stored id has been read (`false`: kept locally until it is). */
export interface LoadedSessionId {
  id: string;
  fromHost: boolean;
}

const usable = (value: string | null): value is string => Boolean(value) && storageLength(value ?? '') <= WIDGET_STORAGE_BUDGETS.sessionId;

/**
 * The session id, without replacing one the host holds but has not answered: when only the
 * fallback answers, its id (or a new one, kept in the fallback only) serves meanwhile, and
 * {@link settleSessionId} reconciles once the host answers. Otherwise as `ensureSessionId`.
 */
export async function loadSessionId(storage: ChatStorage): Promise<LoadedSessionId> {
  const answer = storage.read ? await storage.read(SESSION_ID_KEY) : undefined;
  if (answer?.source !== 'fallback') return { id: await ensureSessionId(storage), fromHost: true };
  if (usable(answer.value)) return { id: answer.value, fromHost: false };
  const created = uuidv7();
  storage.setFallbackItem?.(SESSION_ID_KEY, created);
  return { id: created, fromHost: false };
}

/**
 * Once the host answers: its stored id if it has one, else `provisional`, now stored there.
 * `null` while only the fallback answers (nothing is written then).
 */
export async function settleSessionId(storage: ChatStorage, provisional: string): Promise<string | null> {
  const answer = storage.read ? await storage.read(SESSION_ID_KEY) : { value: await storage.getItem(SESSION_ID_KEY), source: 'host' as const };
  if (answer.source === 'fallback') return null;
  if (usable(answer.value)) return answer.value;
  await storage.setItem(SESSION_ID_KEY, provisional);
  storage.flush?.();
  return provisional;
}
