import { exec, rows } from '../sql-runner';
import type { Work } from '../sql-runner';

/** What deleting some conversations removed. */
export interface ConversationDeletion {
  conversations: number;
  messages: number;
  webhookDeliveries: number;
}

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/**
 * Locks the conversations matched by `where` and names them. The no-op update takes the rows'
 * write locks on PostgreSQL, re-checking `where` against a row a concurrent message has just
 * changed, so no message can be added to a conversation between its children's delete and its
 * own (a message's transaction updates its conversation's row first, and then finds it gone).
 * SQLite runs the whole transaction alone.
 */
function* lockConversations(where: string, params: readonly unknown[]): Work<string[]> {
  const locked = yield rows(`UPDATE conversations SET last_activity_at = last_activity_at WHERE ${where} RETURNING id`, ...params);
  return locked.rows.map((r) => String(r.id));
}

/**
 * Deletes conversations by id with their messages and webhook deliveries, children first:
 * SQLite runs without `PRAGMA foreign_keys`, so the schema's cascades are not enforced there,
 * and deleting them explicitly gives the same counts on both engines.
 */
function* deleteConversations(ids: readonly string[]): Work<ConversationDeletion> {
  if (ids.length === 0) return { conversations: 0, messages: 0, webhookDeliveries: 0 };
  const list = placeholders(ids);
  const messages = (yield exec(`DELETE FROM conversation_messages WHERE conversation_id IN (${list})`, ...ids)).count;
  const webhookDeliveries = (yield exec(`DELETE FROM webhook_deliveries WHERE conversation_id IN (${list})`, ...ids)).count;
  const conversations = (yield exec(`DELETE FROM conversations WHERE id IN (${list})`, ...ids)).count;
  return { conversations, messages, webhookDeliveries };
}

/**
 * One chunk of the conversation retention, to run in its own transaction: at most `chunk`
 * conversations whose last activity is before `before`, with their messages and deliveries.
 * The caller repeats it until a chunk comes back smaller than `chunk`.
 */
export function* conversationRetentionChunk(before: number, chunk: number): Work<ConversationDeletion> {
  const ids = yield* lockConversations('id IN (SELECT id FROM conversations WHERE last_activity_at < ? LIMIT ?) AND last_activity_at < ?', [before, chunk, before]);
  return yield* deleteConversations(ids);
}

/**
 * The conversations of one person of a widget, inside the privacy delete's transaction: those
 * whose anonymous id is one of `visitors` (the widget's per-browser ids linked to the person)
 * or whose user id is `userId`.
 */
export function* deletePersonConversations(widgetId: string, visitors: readonly string[], userId: string): Work<ConversationDeletion> {
  const anonymous = visitors.length === 0 ? '' : `anonymous_id IN (${placeholders(visitors)}) OR `;
  const ids = yield* lockConversations(`widget_id = ? AND (${anonymous}user_id = ?)`, [widgetId, ...visitors, userId]);
  return yield* deleteConversations(ids);
}
