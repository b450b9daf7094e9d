import { DailyDeltas, DAILY_COUNTER_COLUMNS, DAILY_COUNTERS } from '../../analytics/daily-deltas';
import { dayOf } from '../../analytics/days';
import { groupByVisitorDay, planSessions, visitorOf } from '../../analytics/sessionize';
import type { EventRow } from '../types';
import { recordToSession, SESSION_COLUMNS, sessionToValues } from './session-codec';
import type { RawSessionRecord } from './session-codec';
import { later, rows } from './sql-runner';
import type { Work } from './sql-runner';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

const SELECT_SESSIONS = `SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions WHERE widget_id = ? AND visitor_id = ? AND day = ?`;
const UPSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${placeholders(SESSION_COLUMNS.length)})
  ON CONFLICT (widget_id, session_id) DO UPDATE SET
  ${SESSION_COLUMNS.filter((c) => c !== 'widget_id' && c !== 'session_id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
const DELETE_SESSION = 'DELETE FROM sessions WHERE widget_id = ? AND session_id = ?';
const SELECT_VISITOR = 'SELECT first_ts, last_day FROM visitors WHERE widget_id = ? AND visitor_id = ?';
const INSERT_VISITOR = 'INSERT INTO visitors (widget_id, visitor_id, first_ts, last_day) VALUES (?, ?, ?, ?)';
const UPDATE_VISITOR = 'UPDATE visitors SET first_ts = ?, last_day = ? WHERE widget_id = ? AND visitor_id = ?';
const COUNTER_COLUMNS = DAILY_COUNTERS.map((name) => DAILY_COUNTER_COLUMNS[name]);
const UPSERT_DAILY = `INSERT INTO daily_stats (widget_id, day, shard, ${COUNTER_COLUMNS.join(', ')})
  VALUES (${placeholders(3 + COUNTER_COLUMNS.length)})
  ON CONFLICT (widget_id, day, shard) DO UPDATE SET
  ${COUNTER_COLUMNS.map((c) => `${c} = daily_stats.${c} + excluded.${c}`).join(', ')}`;
const UPSERT_NAME = `INSERT INTO daily_event_names (widget_id, day, shard, name, count) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (widget_id, day, shard, name) DO UPDATE SET count = daily_event_names.count + excluded.count`;
const UPSERT_DIMENSION = `INSERT INTO daily_dimensions (widget_id, dimension, day, value, shard, sessions) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (widget_id, dimension, day, value, shard) DO UPDATE SET sessions = daily_dimensions.sessions + excluded.sessions`;
const UPSERT_RETURN = `INSERT INTO daily_returns (widget_id, day, previous_day, shard, visitors) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (widget_id, day, previous_day, shard) DO UPDATE SET visitors = daily_returns.visitors + excluded.visitors`;
const NEIGHBOUR_DAYS = `SELECT MAX(CASE WHEN day < ? THEN day END) AS previous, MIN(CASE WHEN day > ? THEN day END) AS next
  FROM sessions WHERE widget_id = ? AND visitor_id = ?`;

const dayOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Brings sessions, visitors and daily counters up to date with newly stored events, inside
 * the transaction that stored them (so a duplicate, never stored, never counts).
 *
 * 1. Per visitor and UTC day: load the visitor's stored sessions of that day, fold the events
 *    in (`planSessions`), write the result, and move the sessions' contributions (counters
 *    and breakdowns). A visitor with no session on that day yet counts as a visitor of the
 *    day, linked to the nearest days it was seen before and after (distinct visitors).
 * 2. Per visitor: first event and last day seen; a visitor whose first event moves to another
 *    day moves its "new visitor" count with it. Written only when either changes.
 * 3. The daily counters, per-name counts, breakdowns and visitor returns, last, so their rows are locked for the shortest
 *    time. `shard` spreads one day's counters over several rows so that concurrent writers
 *    (PostgreSQL connections) do not queue on one row; reads add the shards up.
 */
export function* recordAnalytics(inserted: readonly EventRow[], shard: number): Work<void> {
  if (inserted.length === 0) return;
  const deltas = new DailyDeltas();
  deltas.addEvents(inserted);
  // Every write is `later` (sent together at the end): no read below needs this
  // transaction's own writes, but for the days visitors are newly seen on, kept here.
  const newDays = new Map<string, number[]>();

  for (const group of groupByVisitorDay(inserted)) {
    const first = group[0] as EventRow;
    const { widgetId } = first;
    const visitorId = visitorOf(first);
    const day = dayOf(first.ts);
    const loaded = yield rows(SELECT_SESSIONS, widgetId, visitorId, day);
    const plan = planSessions((loaded.rows as RawSessionRecord[]).map(recordToSession), group);
    for (const session of plan.deleted) yield later(DELETE_SESSION, session.widgetId, session.sessionId);
    for (const session of plan.upserted) yield later(UPSERT_SESSION, ...sessionToValues(session));
    deltas.addSessionPlan(plan);
    if (loaded.rows.length === 0) {
      const found = (yield rows(NEIGHBOUR_DAYS, day, day, widgetId, visitorId)).rows[0];
      const key = `${widgetId}\u0000${visitorId}`;
      const alsoNew = newDays.get(key) ?? [];
      const before = [dayOrNull(found?.previous), ...alsoNew.filter((d) => d < day)].filter((d): d is number => d !== null);
      const after = [dayOrNull(found?.next), ...alsoNew.filter((d) => d > day)].filter((d): d is number => d !== null);
      deltas.addVisitorDay(widgetId, day, before.length > 0 ? Math.max(...before) : null, after.length > 0 ? Math.min(...after) : null);
      newDays.set(key, [...alsoNew, day]);
    }
  }

  const seen = new Map<string, { widgetId: string; visitorId: string; first: number; last: number }>();
  for (const row of inserted) {
    const key = `${row.widgetId}\u0000${visitorOf(row)}`;
    const entry = seen.get(key);
    if (entry) {
      entry.first = Math.min(entry.first, row.ts);
      entry.last = Math.max(entry.last, row.ts);
    } else seen.set(key, { widgetId: row.widgetId, visitorId: visitorOf(row), first: row.ts, last: row.ts });
  }
  for (const { widgetId, visitorId, first, last } of seen.values()) {
    const found = (yield rows(SELECT_VISITOR, widgetId, visitorId)).rows[0];
    if (found === undefined) {
      yield later(INSERT_VISITOR, widgetId, visitorId, first, dayOf(last));
      deltas.moveFirstSeen(widgetId, null, first);
      continue;
    }
    const firstTs = Number(found.first_ts);
    const lastDay = Number(found.last_day);
    if (first < firstTs || dayOf(last) > lastDay) {
      yield later(UPDATE_VISITOR, Math.min(first, firstTs), Math.max(dayOf(last), lastDay), widgetId, visitorId);
    }
    deltas.moveFirstSeen(widgetId, firstTs, first);
  }

  for (const { widgetId, day, counters } of deltas.days.values()) {
    yield later(UPSERT_DAILY, widgetId, day, shard, ...DAILY_COUNTERS.map((name) => counters[name]));
  }
  for (const { widgetId, day, name, count } of deltas.names.values()) yield later(UPSERT_NAME, widgetId, day, shard, name, count);
  for (const { widgetId, day, dimension, value, sessions } of deltas.dimensions.values()) {
    if (sessions !== 0) yield later(UPSERT_DIMENSION, widgetId, dimension, day, value, shard, sessions);
  }
  for (const { widgetId, day, previousDay, visitors } of deltas.returns.values()) {
    if (visitors !== 0) yield later(UPSERT_RETURN, widgetId, day, previousDay, shard, visitors);
  }
}
