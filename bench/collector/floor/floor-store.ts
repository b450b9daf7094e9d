import type { EventRow, InsertResult } from '../../../server/store/types';
import { eventsSchemaSql } from '../../../server/store/events-schema';
import type { EventsSchemaTypes } from '../../../server/store/events-schema';
import { EVENTS_BOT_COLUMN_SQL } from '../../../server/store/analytics/bots';

/** The floor's storage: raw events only, committed durably before `insert` resolves. */
export interface FloorStore {
  /** Stores the rows in one transaction, skipping known (widget_id, event_id); in input order. */
  insert(rows: readonly EventRow[]): Promise<InsertResult>;
  close(): Promise<void>;
}

/**
 * The collector's `events` table with the same columns (migration 1's, and the `bot` mark of
 * migration 7), keeping only its primary key: the secondary indexes serve the collector's
 * reads, which the floor does not have.
 */
export function floorEventsSql(types: EventsSchemaTypes): string {
  const sql = eventsSchemaSql(types).replace(/^\s*CREATE INDEX[^;]*;\s*$/gm, '');
  if (/CREATE INDEX/i.test(sql)) throw new Error('floor schema: an index of the events table was left in place');
  return `${sql}\n      ${EVENTS_BOT_COLUMN_SQL}`;
}
