import { EVENT_COLUMNS } from './row-codec';
import { SESSION_COLUMNS } from './analytics/session-codec';
import type { QueryRows } from './analytics/analytics-reader';
import type { ExportPage, ExportQuery, ExportRecord, ExportTable } from './types';

/** Columns of each exportable table, in the order of the export (the tables' own order). */
export const EXPORT_COLUMNS: Readonly<Record<ExportTable, readonly string[]>> = Object.freeze({
  events: EVENT_COLUMNS,
  sessions: SESSION_COLUMNS,
});

/** Columns holding JSON (text on SQLite, `JSONB` on PostgreSQL): exported as objects. */
const JSON_COLUMNS: ReadonlySet<string> = new Set(['properties', 'context']);

/** Columns holding whole numbers (PostgreSQL hands `BIGINT` back as strings). */
const NUMBER_COLUMNS: ReadonlySet<string> = new Set([
  'ts',
  'received_at',
  'day',
  'first_ts',
  'last_ts',
  'events',
  'clicks',
  'opens',
  'messages_sent',
  'messages_received',
  'errors',
  'user_ts',
  'source_ts',
  'device_ts',
  'bot',
]);

/**
 * The keyset of each table: the time column the range applies to, and the id that orders the
 * pages. Each page is a range scan of an index from the previous page's last row, so an export
 * reads each row of the widget once however many pages it has:
 * - events by `event_id` alone, on the primary key `(widget_id, event_id)` (the raw events keep
 *   no time index: see migration 6), the time range a filter on the way; event ids are UUIDv7
 *   from the embed, so this is close to time order;
 * - sessions by (`first_ts`, `session_id`), on `sessions_first_ts` `(widget_id, first_ts, session_id)`.
 */
const KEYSET: Readonly<Record<ExportTable, { time: string; id: string; byTime: boolean }>> = Object.freeze({
  events: { time: 'ts', id: 'event_id', byTime: false },
  sessions: { time: 'first_ts', id: 'session_id', byTime: true },
});

const normalize = (column: string, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (JSON_COLUMNS.has(column)) return typeof value === 'string' ? JSON.parse(value) : value;
  if (NUMBER_COLUMNS.has(column)) return Number(value);
  return String(value);
};

function statementOf(query: ExportQuery): { sql: string; params: unknown[] } {
  const { time, id, byTime } = KEYSET[query.table];
  const columns = EXPORT_COLUMNS[query.table];
  const params: unknown[] = [query.widgetId, query.fromMs, query.toMs];
  let after = '';
  if (query.after !== null && byTime) {
    // Written out rather than as a row comparison `(a, b) > (?, ?)`: both engines plan it on the index.
    after = ` AND (${time} > ? OR (${time} = ? AND ${id} > ?))`;
    params.push(query.after.time, query.after.time, query.after.id);
  } else if (query.after !== null) {
    after = ` AND ${id} > ?`;
    params.push(query.after.id);
  }
  params.push(query.limit);
  const order = byTime ? `${time}, ${id}` : id;
  return {
    sql: `SELECT ${columns.join(', ')} FROM ${query.table} WHERE widget_id = ? AND ${time} >= ? AND ${time} < ?${after} ORDER BY ${order} LIMIT ?`,
    params,
  };
}

/**
 * `exportRows` written once for both engines: one keyset page of a table, the rows in the
 * order of its keyset (see `KEYSET`), each column as stored (JSON columns parsed, 64-bit integers as numbers).
 */
export function createRowExport(query: QueryRows): (request: ExportQuery) => Promise<ExportPage> {
  return async (request) => {
    const { sql, params } = statementOf(request);
    const raw = await query(sql, params);
    const { time, id } = KEYSET[request.table];
    const columns = EXPORT_COLUMNS[request.table];
    const rows = raw.map((record) => {
      const row: Record<string, unknown> = {};
      for (const column of columns) row[column] = normalize(column, record[column]);
      return row as ExportRecord;
    });
    const last = raw.at(-1);
    const next = rows.length < request.limit || last === undefined ? null : { time: Number(last[time]), id: String(last[id]) };
    return { rows, next };
  };
}
