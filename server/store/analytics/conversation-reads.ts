import { CONVERSATION_SESSION_TAIL_MS, nearestRankIndex } from '../../analytics/conversation-figures';
import type { ConversationCounts } from '../../analytics/conversation-figures';
import { DAY_MS, dayBounds } from '../../analytics/days';
import type { DayRange } from '../../analytics/types';
import type { QueryRows } from './analytics-reader';

/** Conversations of the widget started in `[start, end)` that have a first reply (first response times). */
const ANSWERED = `FROM conversations WHERE widget_id = ? AND created_at >= ? AND created_at < ?
  AND first_visitor_at IS NOT NULL AND first_reply_at IS NOT NULL`;

/**
 * Sessions of the range during which one of their visitor's conversations had a message: a
 * session's visitor is the widget's per-browser id, which the widget also sends as the
 * conversation's `anonymous_id`; "during" is from the first event to
 * {@link CONVERSATION_SESSION_TAIL_MS} after the last.
 *
 * Driven from the conversations active in the range: each is paired with its visitor's
 * sessions of the range whose window overlaps the conversation's life (`created_at` to
 * `last_activity_at`, which hold all its messages), and only those pairs look at messages.
 * Its cost follows the range's conversations and their visitors' sessions, not the messages.
 */
const SESSIONS_WITH_CONVERSATION = `
  SELECT COUNT(DISTINCT s.session_id) AS n
  FROM conversations c
  JOIN sessions s ON s.widget_id = c.widget_id AND s.visitor_id = c.anonymous_id
  WHERE c.widget_id = ? AND c.last_activity_at >= ? AND s.day >= ? AND s.day <= ?
    AND c.last_activity_at >= s.first_ts AND c.created_at < s.last_ts + ?
    AND EXISTS (
      SELECT 1 FROM conversation_messages m
      WHERE m.conversation_id = c.id AND m.created_at >= s.first_ts AND m.created_at < s.last_ts + ?
    )`;

/**
 * Messages stored in the range by author. `last_activity_at` is the conversation's last
 * message time, so conversations idle since before the range are skipped through the index.
 */
const MESSAGES_BY_AUTHOR = `
  SELECT m.author AS author, COUNT(*) AS n
  FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
  WHERE c.widget_id = ? AND c.last_activity_at >= ? AND m.created_at >= ? AND m.created_at < ?
  GROUP BY m.author`;

/**
 * What the summary's conversation figures are made of, for one widget and range of UTC days,
 * read from the conversation tables at read time (the same SQL on both engines). The first
 * response percentiles are nearest-rank, picked in JavaScript from the fetched durations, so
 * no percentile function of either engine is used.
 */
export async function readConversationCounts(query: QueryRows, range: DayRange): Promise<ConversationCounts> {
  const { first, last } = dayBounds(range);
  const start = first * DAY_MS;
  const end = (last + 1) * DAY_MS;
  const [started, sessions, messages, answered] = await Promise.all([
    query('SELECT COUNT(*) AS n FROM conversations WHERE widget_id = ? AND created_at >= ? AND created_at < ?', [range.widgetId, start, end]),
    query(SESSIONS_WITH_CONVERSATION, [range.widgetId, start, first, last, CONVERSATION_SESSION_TAIL_MS, CONVERSATION_SESSION_TAIL_MS]),
    query(MESSAGES_BY_AUTHOR, [range.widgetId, start, start, end]),
    query(`SELECT first_reply_at - first_visitor_at AS ms ${ANSWERED}`, [range.widgetId, start, end]),
  ]);
  // Sorted here, not in SQL: one sort for both ranks, the same on both engines.
  const durations = Float64Array.from(answered, (r) => Number(r.ms)).sort();
  const percentile = (p: number): number | null => (durations.length === 0 ? null : (durations[nearestRankIndex(durations.length, p)] ?? null));
  const byAuthor = new Map(messages.map((r) => [String(r.author), Number(r.n)]));
  return {
    conversations: Number(started[0]?.n ?? 0),
    sessionsWithConversation: Number(sessions[0]?.n ?? 0),
    visitorMessages: byAuthor.get('visitor') ?? 0,
    replyMessages: (byAuthor.get('agent') ?? 0) + (byAuthor.get('bot') ?? 0),
    firstResponseMedianMs: percentile(50),
    firstResponseP90Ms: percentile(90),
  };
}
