import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EVENT_COLUMNS, rowToValues } from '../../../server/store/row-codec';
import { splitResults } from '../../../server/store/split-results';
import { createGroupCommit } from '../../../server/store/sqlite/group-commit';
import { floorEventsSql } from './floor-store';
import type { FloorStore } from './floor-store';

/**
 * SQLite floor: the collector's pragmas (WAL, `synchronous = FULL`, the same cache and
 * in-memory statement journals) and its group commit (the batches of one event-loop turn share
 * one commit, each in its own savepoint), so the only difference left is the work per row.
 */
export function openSqliteFloorStore(filename: string): FloorStore {
  mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.exec(floorEventsSql({ integer: 'INTEGER', json: 'TEXT' }));
  const insert = db.prepare(
    `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (widget_id, event_id) DO NOTHING`,
  );
  const group = createGroupCommit(db, (rows) => splitResults(rows, (row) => insert.run(...rowToValues(row)).changes === 1));
  let closed = false;
  return {
    insert: (rows) => {
      if (closed) return Promise.reject(new Error('the floor store is closed'));
      return rows.length === 0 ? Promise.resolve({ inserted: [], duplicates: [] }) : group.submit(rows);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      group.flush();
      db.close();
    },
  };
}
