import { dayOf } from '../../analytics/days';
import type { VisitorDeletion } from '../../../lib/protocol/analytics-api';
import { DEFAULT_CONVERSATION_CHUNK } from '../../analytics/types';
import type { RetentionPolicy, RetentionProgress, RetentionResult } from '../../analytics/types';
import { exec, placeholders, rows } from '../sql-runner';
import type { Work } from '../sql-runner';
import { conversationRetentionChunk, deletePersonConversations } from './conversation-maintenance';
import type { ConversationDeletion } from './conversation-maintenance';
import type { WorkRunner } from './analytics-reader';
import type { StoreEngine } from '../types';
import { BUMP_EPOCH_SQL } from './fold-queue';

/**
 * Removes everything stored about one person of one widget, in one transaction.
 *
 * 0. The deletion epoch raised, so that the analytics folds forget rows they kept in memory.
 * 1. The visitor ids it concerns: `id` itself (a client session id, which the widget also
 *    sends as anonymous id), and those of the events, sessions and conversations that carry
 *    `id` as anonymous id or user id.
 * 2. Their conversations (by anonymous id, or `id` as user id), with the conversations'
 *    messages and webhook deliveries.
 * 3. Their raw events, sessions and first-seen rows; then any event left that carries `id`.
 * The daily counters and the other daily rollups (event names, breakdowns, returns, offers)
 * hold no identifiers and are kept.
 */
export function* deleteVisitorWork(widgetId: string, id: string): Work<VisitorDeletion> {
  // Folds must not count the deleted events from rows they kept in memory.
  yield exec(BUMP_EPOCH_SQL);
  const linked = yield rows(
    `SELECT DISTINCT session_id AS visitor FROM events WHERE widget_id = ? AND (anonymous_id = ? OR user_id = ?)
     UNION SELECT DISTINCT visitor_id AS visitor FROM sessions WHERE widget_id = ? AND user_id = ?
     UNION SELECT DISTINCT anonymous_id AS visitor FROM conversations WHERE widget_id = ? AND user_id = ?`,
    widgetId,
    id,
    id,
    widgetId,
    id,
    widgetId,
    id,
  );
  const visitors = new Set([id, ...linked.rows.map((r) => String(r.visitor))]);
  const conversations = yield* deletePersonConversations(widgetId, [...visitors], id);
  let deletedSessions = 0;
  for (const visitor of visitors) {
    deletedSessions += (yield exec('DELETE FROM sessions WHERE widget_id = ? AND visitor_id = ?', widgetId, visitor)).count;
    yield exec('DELETE FROM visitors WHERE widget_id = ? AND visitor_id = ?', widgetId, visitor);
  }
  // One pass over the widget's raw events (they have no index by visitor: it would slow every
  // insert, for a request this rare).
  const { count: deletedEvents } = yield exec(
    `DELETE FROM events WHERE widget_id = ? AND (session_id IN (${placeholders(visitors.size)}) OR anonymous_id = ? OR user_id = ?)`,
    widgetId,
    ...visitors,
    id,
    id,
  );
  deletedSessions += (yield exec('DELETE FROM sessions WHERE widget_id = ? AND user_id = ?', widgetId, id)).count;
  return { widgetId, id, deletedEvents, deletedSessions, deletedConversations: conversations.conversations, deletedMessages: conversations.messages };
}

/**
 * Raw events received before `before`, `chunk` per statement, without an index by time (it
 * would slow every insert).
 * - SQLite: rowids follow insertion, so receipt, order; each statement looks at the `chunk`
 *   oldest rows only and deletes those received before `before`, until a look finds none.
 * - PostgreSQL: a BRIN index on `received_at` (summaries of block ranges, nearly free to keep
 *   up as rows are appended) finds them.
 */
function* deleteOldEvents(engine: StoreEngine, before: number, chunk: number, report: (deletedSoFar: number) => void): Work<number> {
  if (engine === 'postgres') return yield* deleteInChunks('events', 'widget_id, event_id', 'received_at < ?', before, chunk, report);
  let total = 0;
  for (;;) {
    const { count } = yield exec('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events ORDER BY rowid LIMIT ?) AND received_at < ?', chunk, before);
    total += count;
    if (count === 0) return total;
    report(total);
  }
}

/** Deletes rows matched by `where` (a condition on `table`), `chunk` at a time, until none is left. */
function* deleteInChunks(
  table: 'events' | 'sessions' | 'visitors',
  key: string,
  where: string,
  value: number,
  chunk: number,
  report: (deletedSoFar: number) => void,
): Work<number> {
  let total = 0;
  for (;;) {
    // Row-value IN works the same on SQLite and PostgreSQL; each chunk commits on its own.
    const { count } = yield exec(`DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ?)`, value, chunk);
    total += count;
    if (count > 0) report(total);
    if (count < chunk) return total;
  }
}

/**
 * The retention job's work, relative to `now`. Daily counters and the other daily rollups
 * (offers included) are already rolled up at ingest, so nothing has to be aggregated first,
 * and they are kept for ever.
 *
 * 1. Raw events received more than `eventsMs` ago, `eventChunk` per statement.
 * 2. Sessions whose last event is more than `sessionsMs` ago, `sessionChunk` per statement.
 * 3. The first-seen rows of visitors not seen since (one who comes back later counts as new again).
 */
export function* retentionWork(
  engine: StoreEngine,
  policy: RetentionPolicy,
  now: number,
  onProgress?: (progress: RetentionProgress) => void,
): Work<RetentionResult> {
  const started = Date.now();
  const eventsBefore = now - policy.eventsMs;
  const sessionsBefore = now - policy.sessionsMs;
  const deletedEvents = yield* deleteOldEvents(engine, eventsBefore, policy.eventChunk, (n) => onProgress?.({ table: 'events', deletedSoFar: n }));
  const deletedSessions = yield* deleteInChunks('sessions', 'widget_id, session_id', 'last_ts < ?', sessionsBefore, policy.sessionChunk, (n) =>
    onProgress?.({ table: 'sessions', deletedSoFar: n }),
  );
  const visitors = yield* deleteInChunks('visitors', 'widget_id, visitor_id', 'last_day < ?', dayOf(sessionsBefore), policy.sessionChunk, (n) =>
    onProgress?.({ table: 'visitors', deletedSoFar: n }),
  );
  return { deletedEvents, deletedSessions, deletedVisitorRows: visitors, deletedConversations: 0, deletedMessages: 0, tookMs: Date.now() - started };
}

/**
 * Conversations idle (no message) for longer than the raw-event retention (`eventsMs`), with
 * their messages and webhook deliveries: `conversationChunk` conversations per transaction,
 * so a chunk's conversations and their children go together or not at all.
 */
export async function deleteOldConversations(
  runner: WorkRunner,
  policy: RetentionPolicy,
  now: number,
  onProgress?: (progress: RetentionProgress) => void,
): Promise<ConversationDeletion> {
  const chunk = policy.conversationChunk ?? DEFAULT_CONVERSATION_CHUNK;
  const total: ConversationDeletion = { conversations: 0, messages: 0, webhookDeliveries: 0 };
  for (;;) {
    const deleted = await runner.inTransaction(conversationRetentionChunk(now - policy.eventsMs, chunk));
    total.conversations += deleted.conversations;
    total.messages += deleted.messages;
    total.webhookDeliveries += deleted.webhookDeliveries;
    if (deleted.conversations > 0) onProgress?.({ table: 'conversations', deletedSoFar: total.conversations });
    if (deleted.conversations < chunk) return total;
  }
}
