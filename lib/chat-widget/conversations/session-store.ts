import { CONVERSATION_ID_PATTERN } from '../../protocol/conversations';
import { CONVERSATION_SESSION_KEY, storageLength, WIDGET_STORAGE_BUDGETS } from '../../protocol/limits';
import type { ChatStorage } from '../chat-services';

/** The visitor's conversation as the widget keeps it in the host's storage. */
export interface ConversationSession {
  conversationId: string;
  /** Shown once by the collector; sent in `X-Framewire-Conversation-Secret`. */
  secret: string;
  /** Every message up to this seq has been received. */
  cursor: number;
}

/** The stored session, or `null` when missing or not one. */
export function parseSession(stored: string | null): ConversationSession | null {
  if (!stored) return null;
  try {
    const value = JSON.parse(stored) as Partial<ConversationSession> | null;
    if (
      typeof value?.conversationId === 'string' &&
      CONVERSATION_ID_PATTERN.test(value.conversationId) &&
      typeof value.secret === 'string' &&
      value.secret.length > 0 &&
      Number.isInteger(value.cursor) &&
      (value.cursor as number) >= 0
    ) {
      return { conversationId: value.conversationId, secret: value.secret, cursor: value.cursor as number };
    }
  } catch {
    // Not JSON: no session.
  }
  return null;
}

/**
 * Writes the session to the host at once (past the enhanced adapter's debounce): a started
 * conversation whose secret is lost cannot be read again. Over its budget it is not kept.
 */
export function saveSession(storage: ChatStorage, session: ConversationSession | null): void {
  if (session === null) {
    Promise.resolve(storage.removeItem(CONVERSATION_SESSION_KEY)).catch(() => undefined);
    return;
  }
  const value = JSON.stringify(session);
  if (storageLength(value) > WIDGET_STORAGE_BUDGETS.conversationSession) return;
  Promise.resolve(storage.setItem(CONVERSATION_SESSION_KEY, value)).catch((error: unknown) => console.warn('[framewire] Could not save the conversation.', error));
  storage.flush?.();
}
