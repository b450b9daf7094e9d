/**
 * The analytics queue (migration 6) and the work that empties it.
 *
 * Ingestion commits the raw events and, in the same transaction, one `analytics_queue` row per
 * batch naming the events that batch newly stored. The analytics worker folds queued rows into
 * sessions, visitors and the daily rollups in bulk, and deletes the rows it folded in the same
 * transaction as the rollup writes. So every stored event is folded exactly once, whatever
 * crashes in between: a queue row is either still there (its events not counted yet) or gone
 * together with its counts. There is no cursor to skip past a row that commits late (on
 * PostgreSQL ids are taken before commit, so they do not follow commit order): the queue holds
 * exactly the batches not folded yet, in any order, and folding is order-independent
 * (`planSessions` merges events into whatever the visitor's day already holds).
 */
import type { EventRow } from '../types';
import { EVENT_COLUMNS, recordToRow } from '../row-codec';
import type { RawEventRecord } from '../row-codec';
import { coalesceInserts, exec, placeholders, rows } from '../sql-runner';
import type { Statement, StatementResult } from '../sql-runner';
import { analyticsWrites, readStoredState } from './record-analytics';
import { groupByVisitorDay } from '../../analytics/sessionize';
import { botWrites } from './bots';
import { deliveryHealthWrites, isHealthReport } from './delivery-health';
import type { RecentRows } from './recent-rows';

/**
 * Migration 6: the queue (`event_ids` is a JSON array of the batch's newly stored event ids;
 * ids may be reused once a row is gone, which is harmless: nothing keeps a position), and the
 * raw events keep no index but their key. The indexes by visitor, by time and by receipt were
 * written on every insert (about a third of an insert's time) and served only rare requests:
 * the privacy delete now reads a widget's events in one pass, retention finds old events by
 * insertion order (SQLite) or a BRIN index (PostgreSQL, nearly free to keep up), and the
 * tools' `listEvents` sorts a widget's events.
 */
export function analyticsQueueSchemaSql(engine: 'sqlite' | 'postgres'): string {
  const id = engine === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const byReceipt = engine === 'postgres' ? 'CREATE INDEX events_received_brin ON events USING brin (received_at);' : '';
  return `
      CREATE TABLE analytics_queue (
        id         ${id},
        widget_id  TEXT NOT NULL,
        event_ids  TEXT NOT NULL
      );
      DROP INDEX events_widget_session;
      DROP INDEX events_widget_ts;
      DROP INDEX events_received_at;
      ${byReceipt}
      CREATE TABLE analytics_epoch (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        epoch  ${engine === 'sqlite' ? 'INTEGER' : 'BIGINT'} NOT NULL
      );
      INSERT INTO analytics_epoch (id, epoch) VALUES (1, 0);`;
}

/** The queue row of one batch (SQLite; PostgreSQL writes it in the insert's own statement). */
export const ENQUEUE_SQL = 'INSERT INTO analytics_queue (widget_id, event_ids) VALUES (?, ?)';

/**
 * Raised by every deletion of stored events a fold may not know of (the privacy delete): a
 * fold that sees it changed forgets the rows kept in memory and reads its events back, so that
 * it never counts an event deleted after it was stored.
 */
export const BUMP_EPOCH_SQL = 'UPDATE analytics_epoch SET epoch = epoch + 1';
const SELECT_EPOCH = 'SELECT epoch FROM analytics_epoch';

/** Queued batches not folded yet. */
export const BACKLOG_SQL = 'SELECT COUNT(*) AS n FROM analytics_queue';

/**
 * Batches folded per transaction by default: large enough that a day's counters, event names
 * and breakdowns are written once for hundreds of batches, small enough that one fold stays
 * within a few tens of milliseconds.
 * @default 200
 */
export const DEFAULT_FOLD_BATCHES = 200;

/** What one fold did. */
export interface FoldResult {
  /** Queue rows folded (and deleted). */
  batches: number;
  /**
   * Events folded (events deleted since they were queued are skipped), bot events included:
   * those are only counted per day (`daily_bots`), not in sessions and rollups.
   */
  events: number;
  /** True when the queue held more rows than this fold took. */
  more: boolean;
}

/**
 * One fold as steps of statements that do not depend on each other within a step (so an engine
 * may send a whole step in one round trip). The generator receives each step's results.
 */
export type FoldWork = Generator<Statement[], FoldResult, StatementResult[]>;

const SELECT_QUEUE = 'SELECT id, widget_id, event_ids FROM analytics_queue ORDER BY id LIMIT ?';
const selectEvents = (count: number): string =>
  `SELECT ${EVENT_COLUMNS.join(', ')} FROM events WHERE widget_id = ? AND event_id IN (${placeholders(count)})`;

/** Queued event ids as written; a row that is not a JSON array of strings folds nothing. */
function queuedIds(text: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(text));
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Folds up to `maxBatches` queued batches, oldest first. Runs inside one transaction that the
 * engine opens (and, on PostgreSQL, after the fold lock that keeps folds one at a time).
 *
 * 1. The queue rows.
 * 2. Their events: kept in memory by the process that stored them (`recent`, unless events
 *    were deleted since: see `BUMP_EPOCH_SQL`), else read back by key, one statement per batch.
 * 3. The stored state of the events' visitors (`readStoredState`).
 * With `bulk` (for a server that plans every statement: PostgreSQL), the reads are one
 * statement per table and the writes one multi-row statement per kind (`coalesceInserts`).
 * 4. The analytics writes for all the events at once but bot events and delivery health
 *    reports (`analyticsWrites`: each session, visitor and rollup row written once per fold),
 *    the daily counts of the bot events (`botWrites`), the delivery health reports' rollup
 *    (`deliveryHealthWrites`, apart from the visitor analytics), and the delete of the folded
 *    queue rows.
 */
export function* foldWork(maxBatches: number, recent?: RecentRows, bulk = false): FoldWork {
  const [queue, epoch] = yield [rows(SELECT_QUEUE, maxBatches), rows(SELECT_EPOCH)];
  recent?.sync(Number(epoch?.rows[0]?.epoch ?? 0));
  const found = queue?.rows ?? [];
  if (found.length === 0) return { batches: 0, events: 0, more: false };
  const ids = found.map((r) => Number(r.id));
  const kept: EventRow[] = [];
  const loads: Statement[] = [];
  for (const r of found) {
    const eventIds = queuedIds(r.event_ids);
    const rowsKept = recent?.take(Number(r.id), eventIds);
    if (rowsKept !== undefined) kept.push(...rowsKept);
    else if (eventIds.length > 0) loads.push(rows(selectEvents(eventIds.length), String(r.widget_id), ...eventIds));
  }
  const loaded = loads.length === 0 ? [] : yield loads;
  // A key can be named twice only if an event was deleted (privacy delete) and sent again
  // before its first queue row was folded: count it once.
  const events = new Map<string, EventRow>();
  for (const event of kept) events.set(`${event.widgetId}\u0000${event.eventId}`, event);
  for (const result of loaded) {
    for (const record of result.rows as RawEventRecord[]) {
      const event = recordToRow(record);
      events.set(`${event.widgetId}\u0000${event.eventId}`, event);
    }
  }
  const deleteQueued: Statement = exec(`DELETE FROM analytics_queue WHERE id IN (${placeholders(ids.length)})`, ...ids);
  const all = [...events.values()];
  const bots = all.filter((event) => event.bot);
  // Delivery health reports go to their own rollup: they are not visitor activity (no
  // session, no visitor, not in the daily counters or the top events).
  const reports = all.filter((event) => !event.bot && isHealthReport(event));
  const folded = all.filter((event) => !event.bot && !isHealthReport(event));
  const writes = botWrites(bots);
  if (folded.length > 0) {
    const groups = groupByVisitorDay(folded);
    const state = yield* readStoredState(groups, bulk);
    writes.unshift(...analyticsWrites(folded, groups, state, 0));
  }
  yield [...(bulk ? coalesceInserts(writes) : writes), ...deliveryHealthWrites(reports), deleteQueued];
  return { batches: found.length, events: events.size, more: found.length === maxBatches };
}

/** Runs a {@link FoldWork} with a synchronous executor (SQLite, inside its transaction). */
export function runFoldSync(work: FoldWork, execute: (statement: Statement) => StatementResult): FoldResult {
  let step = work.next();
  while (!step.done) step = work.next(step.value.map(execute));
  return step.value;
}

/** Runs a {@link FoldWork} with an executor of whole steps (PostgreSQL: one round trip per step). */
export async function runFoldAsync(work: FoldWork, executeStep: (statements: readonly Statement[]) => Promise<StatementResult[]>): Promise<FoldResult> {
  let step = work.next();
  while (!step.done) step = work.next(await executeStep(step.value));
  return step.value;
}
