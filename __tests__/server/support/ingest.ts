import { drainAnalytics } from '../../../server';
import type { EventRow, EventStore, InsertResult } from '../../../server';

/**
 * Stores rows, then folds them into the analytics at once (the drain hook): for tests that
 * read sessions or rollups right after storing events. Whether a fold follows every batch or
 * many batches at once does not change the result; the property test mixes both.
 */
export async function ingest(store: EventStore, rows: readonly EventRow[]): Promise<InsertResult> {
  const result = await store.insertEvents(rows);
  await drainAnalytics(store);
  return result;
}
