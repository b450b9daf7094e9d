import pg from 'pg';
import { SILENCE_GRACE_MS } from './deadlines';
import { POSTGRES_MIGRATIONS } from './migrations';
import type { PostgresStoreOptions } from './postgres-store';

/** Deadline of the migrations of one start, the wait for another collector's included. */
export const MIGRATION_TIMEOUT_MS = 10 * 60_000;

/** Any number works, as long as every collector uses the same one. */
const MIGRATION_LOCK_KEY = 0x66776972; // "fwir"

/**
 * Applies the migrations on a connection of its own, under the migration deadline rather than
 * the per-statement one (a migration, or the wait for another collector's, may take longer).
 */
export async function runMigrations(options: Pick<PostgresStoreOptions, 'connectionString' | 'connectionTimeoutMs'>): Promise<void> {
  const client = new pg.Client({
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    statement_timeout: MIGRATION_TIMEOUT_MS,
    query_timeout: MIGRATION_TIMEOUT_MS + SILENCE_GRACE_MS,
  });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Several collectors may start at once: one migrates, the others wait and then see it done.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
