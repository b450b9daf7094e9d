import { parseDatabaseUrl } from '../../../server/store/parse-database-url';
import type { FloorStore } from './floor-store';
import { openPostgresFloorStore } from './postgres-floor-store';
import { openSqliteFloorStore } from './sqlite-floor-store';

/**
 * The floor's store for a `DATABASE_URL` as the collector reads it (a SQLite path or
 * `postgres://…`); its `events` table is created on open, so the database must be empty.
 */
export async function openFloorStore(databaseUrl: string): Promise<FloorStore> {
  const target = parseDatabaseUrl(databaseUrl);
  return target.engine === 'sqlite' ? openSqliteFloorStore(target.filename) : openPostgresFloorStore(target.connectionString);
}
