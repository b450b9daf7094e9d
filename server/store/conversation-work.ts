import type { ConversationMessage, ConversationStatus, ConversationSummary, MessageAuthor, MessagePage } from '../../lib/protocol/conversations';
import type {
  ConversationList,
  ConversationListQuery,
  ConversationAccess,
  MessageQuery,
  NewConversation,
  NewMessage,
  PostOutcome,
  StartOutcome,
  StatusChange,
  StatusOutcome,
} from '../conversations/types';
import { exec, rows } from './sql-runner';
import type { Work } from './sql-runner';

/*
 * The conversations' SQL, written once for both engines as {@link Work}: SQLite runs it
 * synchronously on its one connection, PostgreSQL on one pooled client. Writers of one
 * conversation are serialised by its row (`UPDATE conversations … last_seq + 1`), so `seq`
 * has no gaps and no duplicates, and readers going by `seq > cursor` never skip one.
 */

type Row = Record<string, unknown>;

const MESSAGE_COLUMNS = 'conversation_id, seq, id, author, text, created_at';

const toMessage = (row: Row): ConversationMessage => ({
  id: String(row.id),
  conversationId: String(row.conversation_id),
  author: String(row.author) as MessageAuthor,
  text: String(row.text),
  // BIGINT comes back from PostgreSQL as a string.
  createdAt: Number(row.created_at),
  seq: Number(row.seq),
});

/** A conversation with its last message and the visitor messages the team has not read. */
const SUMMARY_SELECT = `
  SELECT c.id, c.widget_id, c.anonymous_id, c.user_id, c.status, c.created_at, c.last_activity_at, c.last_seq,
    (SELECT COUNT(*) FROM conversation_messages u
      WHERE u.conversation_id = c.id AND u.author = 'visitor' AND u.seq > c.agent_read_seq) AS unread,
    m.id AS m_id, m.author AS m_author, m.text AS m_text, m.created_at AS m_created_at
  FROM conversations c
  LEFT JOIN conversation_messages m ON m.conversation_id = c.id AND m.seq = c.last_seq`;

const toSummary = (row: Row): ConversationSummary => ({
  id: String(row.id),
  widgetId: String(row.widget_id),
  anonymousId: String(row.anonymous_id),
  userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
  status: String(row.status) as ConversationStatus,
  createdAt: Number(row.created_at),
  lastActivityAt: Number(row.last_activity_at),
  lastSeq: Number(row.last_seq),
  lastMessage:
    row.m_id === null || row.m_id === undefined
      ? null
      : toMessage({ id: row.m_id, conversation_id: row.id, author: row.m_author, text: row.m_text, created_at: row.m_created_at, seq: row.last_seq }),
  unreadByAgent: Number(row.unread),
});

/** One conversation's summary, or `null`. */
export function* getConversationWork(conversationId: string): Work<ConversationSummary | null> {
  const found = (yield rows(`${SUMMARY_SELECT} WHERE c.id = ?`, conversationId)).rows[0];
  return found === undefined ? null : toSummary(found);
}

/** Creates a conversation unless its id is taken (by any widget: ids are global). */
export function* startConversationWork(start: NewConversation): Work<StartOutcome> {
  const inserted = yield exec(
    `INSERT INTO conversations (id, widget_id, anonymous_id, user_id, status, secret_hash, created_at, last_activity_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
    start.id,
    start.widgetId,
    start.anonymousId,
    start.userId,
    start.secretHash,
    start.now,
    start.now,
  );
  if (inserted.count === 0) return { outcome: 'exists' };
  const conversation = yield* getConversationWork(start.id);
  if (conversation === null) throw new Error('a conversation just inserted cannot be read back');
  return { outcome: 'created', conversation };
}

/** The widget and secret digest of a conversation. */
export function* conversationAccessWork(conversationId: string): Work<ConversationAccess | null> {
  const found = (yield rows('SELECT id, widget_id, secret_hash FROM conversations WHERE id = ?', conversationId)).rows[0];
  return found === undefined ? null : { id: String(found.id), widgetId: String(found.widget_id), secretHash: String(found.secret_hash) };
}

function* storedMessageWork(conversationId: string, messageId: string): Work<ConversationMessage | null> {
  const found = (yield rows(`SELECT ${MESSAGE_COLUMNS} FROM conversation_messages WHERE conversation_id = ? AND id = ?`, conversationId, messageId)).rows[0];
  return found === undefined ? null : toMessage(found);
}

const repeatOf = (stored: ConversationMessage, message: NewMessage): PostOutcome =>
  stored.text === message.text && stored.author === message.author ? { outcome: 'repeated', message: stored } : { outcome: 'conflict' };

/**
 * Posts one message; run inside a transaction.
 *
 * 1. Already stored under this id: the stored message (or a conflict for another text or
 *    author); nothing written.
 * 2. `UPDATE conversations SET last_seq = last_seq + 1 … RETURNING`: the new seq, and the
 *    conversation's row lock until commit, so the next writer of this conversation waits.
 * 3. The message, `ON CONFLICT DO NOTHING`: on PostgreSQL a concurrent post of the same id may
 *    have committed between 1 and 2; then the seq taken is given back (the row lock is still
 *    ours, nobody took a later one) and the stored message answers.
 * 4. Activity, first visitor message / first reply, a visitor message reopening the
 *    conversation, and a webhook delivery for a visitor message when the widget has a webhook
 *    (its URL read in this transaction, so a delivery is queued exactly when the message is stored).
 */
export function* postMessageWork(message: NewMessage): Work<PostOutcome> {
  const { conversationId, author, now } = message;
  const earlier = yield* storedMessageWork(conversationId, message.id);
  if (earlier !== null) return repeatOf(earlier, message);

  const taken = (yield rows('UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq, widget_id', conversationId)).rows[0];
  if (taken === undefined) return { outcome: 'not_found' };
  const seq = Number(taken.last_seq);
  const widgetId = String(taken.widget_id);

  const inserted = (yield rows(
    `INSERT INTO conversation_messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
    conversationId,
    seq,
    message.id,
    author,
    message.text,
    now,
  )).rows[0];
  if (inserted === undefined) {
    yield exec('UPDATE conversations SET last_seq = last_seq - 1 WHERE id = ?', conversationId);
    const stored = yield* storedMessageWork(conversationId, message.id);
    if (stored === null) throw new Error('a message refused as a duplicate cannot be read back');
    return repeatOf(stored, message);
  }

  const isVisitor = author === 'visitor' ? 1 : 0;
  yield exec(
    `UPDATE conversations SET
       last_activity_at = ?,
       first_visitor_at = CASE WHEN CAST(? AS INTEGER) = 1 AND first_visitor_at IS NULL THEN CAST(? AS BIGINT) ELSE first_visitor_at END,
       first_reply_at = CASE WHEN CAST(? AS INTEGER) = 0 AND first_visitor_at IS NOT NULL AND first_reply_at IS NULL THEN CAST(? AS BIGINT) ELSE first_reply_at END
     WHERE id = ?`,
    now,
    isVisitor,
    now,
    isVisitor,
    now,
    conversationId,
  );
  let reopened = false;
  if (author === 'visitor') {
    reopened = (yield exec(`UPDATE conversations SET status = 'open' WHERE id = ? AND status = 'closed'`, conversationId)).count > 0;
    const hook = (yield rows('SELECT webhook_url FROM widgets WHERE id = ?', widgetId)).rows[0];
    if (hook !== undefined && hook.webhook_url !== null && hook.webhook_url !== undefined) {
      yield exec(
        `INSERT INTO webhook_deliveries (conversation_id, message_id, widget_id, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        conversationId,
        message.id,
        widgetId,
        now,
        now,
      );
    }
  }
  return { outcome: 'created', message: toMessage(inserted), widgetId, reopened };
}

/** Messages after a cursor, oldest first, and whether more follow; `null` for an unknown conversation. */
export function* readMessagesWork(query: MessageQuery): Work<MessagePage | null> {
  const conversation = (yield rows('SELECT status, last_seq FROM conversations WHERE id = ?', query.conversationId)).rows[0];
  if (conversation === undefined) return null;
  const found = yield rows(
    `SELECT ${MESSAGE_COLUMNS} FROM conversation_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    query.conversationId,
    query.after,
    query.limit + 1,
  );
  const messages = found.rows.slice(0, query.limit).map(toMessage);
  const last = messages[messages.length - 1];
  return {
    messages,
    next: last === undefined ? query.after : last.seq,
    more: found.rows.length > query.limit,
    status: String(conversation.status) as ConversationStatus,
  };
}

/** A widget's conversations by latest activity (then id, both descending), after a cursor. */
export function* listConversationsWork(query: ConversationListQuery): Work<ConversationList> {
  const { cursor } = query;
  const found = yield rows(
    `${SUMMARY_SELECT}
     WHERE c.widget_id = ? AND (CAST(? AS TEXT) IS NULL OR c.status = ?)
       AND (CAST(? AS INTEGER) IS NULL OR c.last_activity_at < ? OR (c.last_activity_at = ? AND c.id < ?))
     ORDER BY c.last_activity_at DESC, c.id DESC
     LIMIT ?`,
    query.widgetId,
    query.status,
    query.status,
    cursor === null ? null : 1,
    cursor?.lastActivityAt ?? 0,
    cursor?.lastActivityAt ?? 0,
    cursor?.id ?? '',
    query.limit + 1,
  );
  const conversations = found.rows.slice(0, query.limit).map(toSummary);
  const last = conversations[conversations.length - 1];
  return {
    conversations,
    next: found.rows.length > query.limit && last !== undefined ? { lastActivityAt: last.lastActivityAt, id: last.id } : null,
  };
}

/** Moves the team's read mark forward to `seq` (at most the last message); never back. */
export function* markReadWork(conversationId: string, widgetId: string, seq: number): Work<boolean> {
  const changed = yield exec(
    `UPDATE conversations SET agent_read_seq = CASE
       WHEN CAST(? AS INTEGER) <= agent_read_seq THEN agent_read_seq
       WHEN CAST(? AS INTEGER) >= last_seq THEN last_seq
       ELSE CAST(? AS INTEGER) END
     WHERE id = ? AND widget_id = ?`,
    seq,
    seq,
    seq,
    conversationId,
    widgetId,
  );
  return changed.count > 0;
}

/** Closes or reopens a conversation of the widget; the status moves only when it differs. */
export function* setConversationStatusWork(change: StatusChange): Work<StatusOutcome | null> {
  const moved = yield exec(
    'UPDATE conversations SET status = ? WHERE id = ? AND widget_id = ? AND status <> ?',
    change.status,
    change.conversationId,
    change.widgetId,
    change.status,
  );
  const conversation = yield* getConversationWork(change.conversationId);
  if (conversation === null || conversation.widgetId !== change.widgetId) return null;
  return { conversation, changed: moved.count > 0 };
}
