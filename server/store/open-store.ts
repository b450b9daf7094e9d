import { openPostgresStore } from './postgres/postgres-store';
import { openSqliteStore } from './sqlite/sqlite-store';
import { parseDatabaseUrl } from './parse-database-url';
import type { EventStore } from './types';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** See `CollectorConfig.databaseUrl`. */
  databaseUrl: string;
  /** @default 10 */
  pgPoolSize?: number;
  /** See `CollectorConfig.pgStatementTimeoutMs`. @default 30000 */
  pgStatementTimeoutMs?: number;
  /** @default "full" */
  sqliteSynchronous?: 'full' | 'normal';
  /** Errors of idle PostgreSQL connections. */
  onIdleError?: (error: Error) => void;
}

/** Opens the engine `databaseUrl` names and runs its migrations. */
export async function openStore(options: OpenStoreOptions): Promise<EventStore> {
  const target = parseDatabaseUrl(options.databaseUrl);
  if (target.engine === 'postgres') {
    return openPostgresStore({
      connectionString: target.connectionString,
      ...(options.pgPoolSize === undefined ? {} : { poolSize: options.pgPoolSize }),
      ...(options.pgStatementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.pgStatementTimeoutMs }),
      ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
    });
  }
  return openSqliteStore({ filename: target.filename, ...(options.sqliteSynchronous === undefined ? {} : { synchronous: options.sqliteSynchronous }) });
}
