/**
 * Events from bots and automated browsers (migration 7): the raw events keep them, marked
 * `bot`; the fold leaves them out of sessions, visitors, the daily rollups and the offers, and
 * only counts them per widget and UTC day, so that the summary can say how many it left out.
 */
import { dayBounds, dayOf } from '../../analytics/days';
import type { DayRange } from '../../analytics/types';
import type { EventRow } from '../types';
import { exec } from '../sql-runner';
import type { Statement } from '../sql-runner';
import type { QueryRows } from './analytics-reader';

/** The `bot` mark on the raw events (migration 7), also on the benchmark floor's copy of the table. */
export const EVENTS_BOT_COLUMN_SQL = 'ALTER TABLE events ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;';

/**
 * Migration 7: the `bot` mark on the raw events (0 for every event stored before: they are
 * folded already, as they were), and the daily count of the events left out. Like the other
 * daily rollups it holds no visitor id, so it is kept for ever and survives the privacy delete.
 * A column with a constant default is added without rewriting the table on both engines.
 */
export function botsSchemaSql(bigint: 'INTEGER' | 'BIGINT'): string {
  return `
      ${EVENTS_BOT_COLUMN_SQL}
      CREATE TABLE daily_bots (
        widget_id  TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        events     ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, day)
      );`;
}

const UPSERT_BOTS = `INSERT INTO daily_bots (widget_id, day, events) VALUES (?, ?, ?)
  ON CONFLICT (widget_id, day) DO UPDATE SET events = daily_bots.events + excluded.events`;

/** The writes that count bot events per widget and day: one row per (widget, day), so a bulk insert never names a key twice. */
export function botWrites(bots: readonly EventRow[]): Statement[] {
  const counts = new Map<string, { widgetId: string; day: number; events: number }>();
  for (const event of bots) {
    const day = dayOf(event.ts);
    const key = `${event.widgetId}\u0000${day}`;
    const entry = counts.get(key);
    if (entry) entry.events++;
    else counts.set(key, { widgetId: event.widgetId, day, events: 1 });
  }
  return [...counts.values()].map(({ widgetId, day, events }) => exec(UPSERT_BOTS, widgetId, day, events));
}

/** Bot events left out of the analytics over a range (by event time, like the daily counters). */
export async function readBotsExcluded(query: QueryRows, range: DayRange): Promise<number> {
  const { first, last } = dayBounds(range);
  const found = await query('SELECT SUM(events) AS n FROM daily_bots WHERE widget_id = ? AND day >= ? AND day <= ?', [range.widgetId, first, last]);
  return Number(found[0]?.n ?? 0);
}
