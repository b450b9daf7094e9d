import type { EventRow, InsertResult } from './types';

/**
 * Turns "which keys did the engine insert" into an {@link InsertResult} in input order.
 * A key repeated within the rows counts once as inserted (or duplicate), then as duplicate.
 */
export function splitResults(rows: readonly EventRow[], wasInserted: (row: EventRow, index: number) => boolean): InsertResult {
  const result: InsertResult = { inserted: [], duplicates: [] };
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const key = `${row.widgetId}\u0000${row.eventId}`;
    if (!seen.has(key) && wasInserted(row, index)) result.inserted.push(row.eventId);
    else result.duplicates.push(row.eventId);
    seen.add(key);
  });
  return result;
}
