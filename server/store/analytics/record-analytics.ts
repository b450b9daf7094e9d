import { DailyDeltas, DAILY_COUNTER_COLUMNS, DAILY_COUNTERS } from '../../analytics/daily-deltas';
import { dayOf } from '../../analytics/days';
import { planSessions, visitorOf } from '../../analytics/sessionize';
import type { EventRow } from '../types';
import { recordToSession, SESSION_COLUMNS, sessionToValues } from './session-codec';
import type { RawSessionRecord } from './session-codec';
import { offerWrites } from './offers';
import { exec, placeholders, rows } from '../sql-runner';
import type { Statement, StatementResult } from '../sql-runner';

const SELECT_SESSIONS = `SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions WHERE widget_id = ? AND visitor_id = ? AND day = ?`;
const UPSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${placeholders(SESSION_COLUMNS.length)})
  ON CONFLICT (widget_id, session_id) DO UPDATE SET
  ${SESSION_COLUMNS.filter((c) => c !== 'widget_id' && c !== 'session_id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
const DELETE_SESSION = 'DELETE FROM sessions WHERE widget_id = ? AND session_id = ?';
const SELECT_VISITOR = 'SELECT first_ts, last_day FROM visitors WHERE widget_id = ? AND visitor_id = ?';
/** The bulk reads of a fold, completed with `(VALUES (…), …)` of the keys. */
const SELECT_SESSIONS_OF = `SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions WHERE (widget_id, visitor_id, day) IN (VALUES`;
const SELECT_VISITORS_OF = 'SELECT widget_id, visitor_id, first_ts, last_day FROM visitors WHERE (widget_id, visitor_id) IN (VALUES';
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
const VISITOR_DAYS = 'SELECT DISTINCT day FROM sessions WHERE widget_id = ? AND visitor_id = ?';

const key = (...parts: (string | number)[]): string => parts.join('\u0000');

/**
 * What the reads found: stored sessions per visitor and day, first-seen rows per visitor, and
 * per visitor the days it was seen as far as the writes need them (see `readStoredState`).
 */
export interface StoredState {
  sessions: Map<string, RawSessionRecord[]>;
  days: Map<string, number[]>;
  visitors: Map<string, { firstTs: number; lastDay: number }>;
}

/**
 * Reads what {@link analyticsWrites} needs about the events' visitors, as steps of statements
 * independent of each other within a step (an engine may send a step in one round trip). The
 * events come grouped by visitor and UTC day (`groupByVisitorDay`, done once per fold for the
 * reads and the writes):
 *
 * 1. Per visitor and UTC day its stored sessions of that day; per visitor its first-seen row.
 * 2. Only where a visitor is seen on a day for the first time and it was already seen on that
 *    day or later (a late event), the days it was seen. Otherwise those are known without
 *    asking: none for a new visitor, and for a visitor coming back after its last day seen,
 *    that day is the nearest one before.
 */
export function* readStoredState(grouped: readonly (readonly EventRow[])[], bulk = false): Generator<Statement[], StoredState, StatementResult[]> {
  const groups = grouped.map((group) => {
    const first = group[0] as EventRow;
    return { widgetId: first.widgetId, visitorId: visitorOf(first), day: dayOf(first.ts) };
  });
  const visitors = [...new Map(groups.map((g) => [key(g.widgetId, g.visitorId), g])).values()];
  const state: StoredState = { sessions: new Map(), days: new Map(), visitors: new Map() };
  for (const g of groups) state.sessions.set(key(g.widgetId, g.visitorId, g.day), []);
  const addVisitor = (row: Record<string, unknown>, widgetId: unknown, visitorId: unknown) =>
    state.visitors.set(key(String(widgetId), String(visitorId)), { firstTs: Number(row.first_ts), lastDay: Number(row.last_day) });
  if (bulk) {
    // One statement per table for the whole fold, the rows matched back by their keys.
    const [sessions, seen] = yield [
      rows(`${SELECT_SESSIONS_OF} ${groups.map(() => '(?, ?, ?)').join(', ')})`, ...groups.flatMap((g) => [g.widgetId, g.visitorId, g.day])),
      rows(`${SELECT_VISITORS_OF} ${visitors.map(() => '(?, ?)').join(', ')})`, ...visitors.flatMap((v) => [v.widgetId, v.visitorId])),
    ];
    for (const row of sessions?.rows ?? []) state.sessions.get(key(String(row.widget_id), String(row.visitor_id), Number(row.day)))?.push(row as RawSessionRecord);
    for (const row of seen?.rows ?? []) addVisitor(row, row.widget_id, row.visitor_id);
  } else {
    const found = yield [
      ...groups.map((g) => rows(SELECT_SESSIONS, g.widgetId, g.visitorId, g.day)),
      ...visitors.map((v) => rows(SELECT_VISITOR, v.widgetId, v.visitorId)),
    ];
    groups.forEach((g, i) => state.sessions.set(key(g.widgetId, g.visitorId, g.day), (found[i]?.rows ?? []) as RawSessionRecord[]));
    visitors.forEach((v, i) => {
      const row = found[groups.length + i]?.rows[0];
      if (row) addVisitor(row, v.widgetId, v.visitorId);
    });
  }
  const ask = new Map<string, { widgetId: string; visitorId: string }>();
  for (const g of groups) {
    const visitor = key(g.widgetId, g.visitorId);
    const seen = state.visitors.get(visitor);
    if (seen === undefined) state.days.set(visitor, []);
    else if ((state.sessions.get(key(g.widgetId, g.visitorId, g.day)) ?? []).length === 0 && g.day <= seen.lastDay) ask.set(visitor, g);
  }
  for (const [visitor, seen] of state.visitors) if (!ask.has(visitor)) state.days.set(visitor, [seen.lastDay]);
  if (ask.size > 0) {
    const asked = [...ask];
    const days = yield asked.map(([, v]) => rows(VISITOR_DAYS, v.widgetId, v.visitorId));
    asked.forEach(([visitor], i) => state.days.set(visitor, (days[i]?.rows ?? []).map((r) => Number(r.day))));
  }
  return state;
}

/**
 * The writes that bring sessions, visitors and the daily rollups up to date with newly
 * stored events (`inserted`, and the same grouped by visitor and UTC day), given what the reads
 * found. They run inside a fold's transaction, after the reads, with the delete of the folded
 * queue rows (see `foldWork`): each stored event counts once, and a duplicate, never stored,
 * never.
 *
 * 1. Per visitor and UTC day: fold the events into the visitor's stored sessions of that day
 *    (`planSessions`), write the result, and move the sessions' contributions (counters and
 *    breakdowns). A visitor with no session on that day yet counts as a visitor of the day,
 *    linked to the nearest days it was seen before and after (distinct visitors), this
 *    batch's other new days included.
 * 2. Per visitor: first event and last day seen; a visitor whose first event moves to another
 *    day moves its "new visitor" count with it. Written only when either changes.
 * 3. The daily counters, per-name counts, breakdowns, visitor returns and offer counts (shown
 *    and clicked per offer and variant, see `offerCountOf`), last, so their rows are locked
 *    for the shortest time. `shard` is the row of the day they add to (folds write 0; rows of
 *    other shards come from when every ingest transaction wrote its own); reads add the
 *    shards up.
 */
export function analyticsWrites(inserted: readonly EventRow[], grouped: readonly (readonly EventRow[])[], stored: StoredState, shard: number): Statement[] {
  const writes: Statement[] = [];
  if (inserted.length === 0) return writes;
  const deltas = new DailyDeltas();
  deltas.addEvents(inserted);
  const newDays = new Map<string, number[]>();

  for (const group of grouped) {
    const first = group[0] as EventRow;
    const { widgetId } = first;
    const visitorId = visitorOf(first);
    const day = dayOf(first.ts);
    const loaded = stored.sessions.get(key(widgetId, visitorId, day)) ?? [];
    const plan = planSessions(loaded.map(recordToSession), group);
    for (const session of plan.deleted) writes.push(exec(DELETE_SESSION, session.widgetId, session.sessionId));
    for (const session of plan.upserted) writes.push(exec(UPSERT_SESSION, ...sessionToValues(session)));
    deltas.addSessionPlan(plan);
    if (loaded.length === 0) {
      const visitor = key(widgetId, visitorId);
      const alsoNew = newDays.get(visitor) ?? [];
      const known = [...(stored.days.get(visitor) ?? []), ...alsoNew];
      const before = known.filter((d) => d < day);
      const after = known.filter((d) => d > day);
      deltas.addVisitorDay(widgetId, day, before.length > 0 ? Math.max(...before) : null, after.length > 0 ? Math.min(...after) : null);
      newDays.set(visitor, [...alsoNew, day]);
    }
  }

  const seen = new Map<string, { widgetId: string; visitorId: string; first: number; last: number }>();
  for (const row of inserted) {
    const visitor = key(row.widgetId, visitorOf(row));
    const entry = seen.get(visitor);
    if (entry) {
      entry.first = Math.min(entry.first, row.ts);
      entry.last = Math.max(entry.last, row.ts);
    } else seen.set(visitor, { widgetId: row.widgetId, visitorId: visitorOf(row), first: row.ts, last: row.ts });
  }
  for (const [visitor, { widgetId, visitorId, first, last }] of seen) {
    const found = stored.visitors.get(visitor);
    if (found === undefined) {
      writes.push(exec(INSERT_VISITOR, widgetId, visitorId, first, dayOf(last)));
      deltas.moveFirstSeen(widgetId, null, first);
      continue;
    }
    if (first < found.firstTs || dayOf(last) > found.lastDay) {
      writes.push(exec(UPDATE_VISITOR, Math.min(first, found.firstTs), Math.max(dayOf(last), found.lastDay), widgetId, visitorId));
    }
    deltas.moveFirstSeen(widgetId, found.firstTs, first);
  }

  for (const { widgetId, day, counters } of deltas.days.values()) {
    writes.push(exec(UPSERT_DAILY, widgetId, day, shard, ...DAILY_COUNTERS.map((name) => counters[name])));
  }
  for (const { widgetId, day, name, delta } of deltas.names.values()) writes.push(exec(UPSERT_NAME, widgetId, day, shard, name, delta));
  for (const { widgetId, day, dimension, value, delta } of deltas.dimensions.values()) {
    if (delta !== 0) writes.push(exec(UPSERT_DIMENSION, widgetId, dimension, day, value, shard, delta));
  }
  for (const { widgetId, day, previousDay, delta } of deltas.returns.values()) {
    if (delta !== 0) writes.push(exec(UPSERT_RETURN, widgetId, day, previousDay, shard, delta));
  }
  writes.push(...offerWrites(deltas.offers, shard));
  return writes;
}
