import pg from 'pg';
import { EVENT_COLUMNS, rowToValues } from '../../../server/store/row-codec';
import { splitResults } from '../../../server/store/split-results';
import { floorEventsSql } from './floor-store';
import type { FloorStore } from './floor-store';

/** Connections in the pool: the collector's default (`pgPoolSize`). */
const POOL_SIZE = 10;

/** The multi-row insert of `count` rows, prepared once per connection and row count. */
function insertQuery(count: number): { name: string; text: string } {
  const width = EVENT_COLUMNS.length;
  const tuples = Array.from({ length: count }, (_, row) => {
    const cells = EVENT_COLUMNS.map((column, col) => `$${row * width + col + 1}${column === 'properties' || column === 'context' ? '::jsonb' : ''}`);
    return `(${cells.join(', ')})`;
  });
  return {
    name: `floor_insert_${count}`,
    text: `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (widget_id, event_id) DO NOTHING RETURNING event_id`,
  };
}

/**
 * PostgreSQL floor: one prepared multi-row insert per request in autocommit, which is one
 * round trip and one commit (flushed to disk when the server's `fsync` is on).
 */
export async function openPostgresFloorStore(connectionString: string): Promise<FloorStore> {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
  // Idle connections' errors would otherwise crash the process.
  pool.on('error', () => undefined);
  await pool.query(floorEventsSql({ integer: 'BIGINT', json: 'JSONB' }));
  const queries = new Map<number, { name: string; text: string }>();
  return {
    insert: async (rows) => {
      if (rows.length === 0) return { inserted: [], duplicates: [] };
      let query = queries.get(rows.length);
      if (query === undefined) queries.set(rows.length, (query = insertQuery(rows.length)));
      const result = await pool.query<{ event_id: string }>({ ...query, values: rows.flatMap(rowToValues) });
      // One widget per request, so the event id alone names a row.
      const inserted = new Set(result.rows.map((r) => r.event_id));
      return splitResults(rows, (row) => inserted.has(row.eventId));
    },
    close: () => pool.end(),
  };
}
