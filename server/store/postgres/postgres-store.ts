import { createHash } from 'node:crypto';
import pg from 'pg';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../../errors';
import { EVENT_COLUMNS, recordToRow, rowToValues } from '../row-codec';
import type { RawEventRecord } from '../row-codec';
import { splitResults } from '../split-results';
import { DEFAULT_EVENT_QUERY_LIMIT } from '../types';
import type { EventQuery, EventRow, EventStore, InsertResult } from '../types';
import { createAnalyticsReader } from '../analytics/analytics-reader';
import { recordAnalytics } from '../analytics/record-analytics';
import { inlineParams, runAsync, toPostgresPlaceholders } from '../analytics/sql-runner';
import type { Statement, StatementResult, Work } from '../analytics/sql-runner';
import { visitorOf } from '../../analytics/sessionize';
import { POSTGRES_MIGRATIONS } from './migrations';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  connectionString: string;
  /**
   * Connections in the pool.
   * @default 10
   */
  poolSize?: number;
  /**
   * How long to wait for a connection before failing a call.
   * @default 5000
   */
  connectionTimeoutMs?: number;
  /** Called with errors of idle connections (which would otherwise crash the process). */
  onIdleError?: (error: Error) => void;
}

/**
 * Daily counter rows per widget and day: concurrent transactions add to different rows
 * (by backend process id), so they do not queue behind one row lock. Reads add them up.
 */
const COUNTER_SHARDS = 64;

// Transactions that touch the same visitor take its lock in key order, so they never deadlock.
const LOCK_VISITORS_SQL = `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT DISTINCT unnest($1::text[]) AS k ORDER BY 1) AS keys`;

/** Prepared once per connection under a name derived from the text. */
const prepared = (sql: string): { name: string; text: string } => ({
  name: `fw_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`,
  text: toPostgresPlaceholders(sql),
});

async function execute(client: pg.ClientBase | pg.Pool, { sql, params }: Statement): Promise<StatementResult> {
  const result = await client.query({ ...prepared(sql), values: params as unknown[] });
  return { rows: result.rows as Record<string, unknown>[], count: result.rowCount ?? 0 };
}

/** Several statements in one round trip: one simple-protocol text, values inlined as literals. */
async function executeAll(client: pg.ClientBase, statements: readonly Statement[]): Promise<void> {
  await client.query(statements.map((statement) => inlineParams(statement, (text) => client.escapeLiteral(text))).join(';\n'));
}

/** A connection's own counter shard: no two open connections of one collector share one. */
const shardOf = (client: pg.ClientBase): number => {
  const pid = (client as unknown as { processID?: number | null }).processID;
  return typeof pid === 'number' ? pid % COUNTER_SHARDS : Math.floor(Math.random() * COUNTER_SHARDS);
};

/** Any number works, as long as every collector uses the same one. */
const MIGRATION_LOCK_KEY = 0x66776972; // "fwir"

const COLUMN_TYPES: Readonly<Record<(typeof EVENT_COLUMNS)[number], string>> = {
  widget_id: 'text',
  event_id: 'text',
  kind: 'text',
  name: 'text',
  category: 'text',
  session_id: 'text',
  anonymous_id: 'text',
  user_id: 'text',
  question_id: 'text',
  offer_id: 'text',
  button_variant_id: 'text',
  ts: 'bigint',
  received_at: 'bigint',
  batch_id: 'text',
  ip: 'text',
  user_agent: 'text',
  properties: 'text',
  context: 'text',
};

// One statement with one array per column: a fixed text, so it is prepared once per
// connection whatever the batch size, and a single statement is atomic on its own.
const INSERT_SQL = `
  INSERT INTO events (${EVENT_COLUMNS.join(', ')})
  SELECT ${EVENT_COLUMNS.map((c) => (c === 'properties' || c === 'context' ? `${c}::jsonb` : c)).join(', ')}
  FROM unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${COLUMN_TYPES[c]}[]`).join(', ')})
    AS incoming (${EVENT_COLUMNS.join(', ')})
  ON CONFLICT (widget_id, event_id) DO NOTHING
  RETURNING event_id, widget_id`;

const LIST_SQL = `
  SELECT ${EVENT_COLUMNS.join(', ')} FROM events
  WHERE widget_id = $1 AND ($2::text IS NULL OR kind = $2)
  ORDER BY ts, event_id LIMIT $3`;

async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
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
    client.release();
  }
}

function toColumns(rows: readonly EventRow[]): unknown[][] {
  const columns: unknown[][] = EVENT_COLUMNS.map(() => []);
  for (const row of rows) rowToValues(row).forEach((value, i) => columns[i]?.push(value));
  return columns;
}

/**
 * Opens a PostgreSQL event store: a connection pool, migrations applied under an advisory lock
 * so several collectors can start against one database at once.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await runMigrations(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `Cannot open PostgreSQL store: ${(error as Error).message}`, { cause: error });
  }
  let closed = false;

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) throw new CollectorError(COLLECTOR_ERROR_CODES.STORE_CLOSED, 'The PostgreSQL store is closed');
    try {
      return await work();
    } catch (error) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  };

  /** Runs `work` inside BEGIN … COMMIT on one pooled connection. */
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  const reader = createAnalyticsReader(
    (sql, params) => guard(async () => (await execute(pool, { sql, params, want: 'rows' })).rows),
    {
      inTransaction: <T>(work: Work<T>) =>
        guard(() => transaction((client) => runAsync(work, (statement) => execute(client, statement), (statements) => executeAll(client, statements)))),
      autocommit: <T>(work: Work<T>) => guard(() => runAsync(work, (statement) => execute(pool, statement))),
    },
  );

  return {
    ...reader,
    engine: 'postgres',
    insertEvents: (rows): Promise<InsertResult> =>
      guard(async () => {
        if (rows.length === 0) return { inserted: [], duplicates: [] };
        return transaction(async (client) => {
          const result = await client.query<{ event_id: string; widget_id: string }>({
            name: 'framewire_insert_events',
            text: INSERT_SQL,
            values: toColumns(rows),
          });
          const inserted = new Set(result.rows.map((r) => `${r.widget_id}\u0000${r.event_id}`));
          const stored: EventRow[] = [];
          const split = splitResults(rows, (row) => {
            const isNew = inserted.has(`${row.widgetId}\u0000${row.eventId}`);
            if (isNew) stored.push(row);
            return isNew;
          });
          if (stored.length > 0) {
            await client.query({ name: 'framewire_lock_visitors', text: LOCK_VISITORS_SQL, values: [stored.map((row) => JSON.stringify([row.widgetId, visitorOf(row)]))] });
            await runAsync(
              recordAnalytics(stored, shardOf(client)),
              (statement) => execute(client, statement),
              (statements) => executeAll(client, statements),
            );
          }
          return split;
        });
      }),
    listEvents: (query: EventQuery) =>
      guard(async () => {
        const result = await pool.query<RawEventRecord>(LIST_SQL, [query.widgetId, query.kind ?? null, query.limit ?? DEFAULT_EVENT_QUERY_LIMIT]);
        return result.rows.map(recordToRow);
      }),
    ping: () => guard(async () => void (await pool.query('SELECT 1'))),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
