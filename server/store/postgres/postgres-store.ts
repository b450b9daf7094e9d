import { createHash } from 'node:crypto';
import pg from 'pg';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../../errors';
import { EVENT_COLUMNS, recordToRow, rowToValues } from '../row-codec';
import type { RawEventRecord } from '../row-codec';
import { splitResults } from '../split-results';
import { DEFAULT_EVENT_QUERY_LIMIT } from '../types';
import type { EventQuery, EventRow, EventStore, InsertResult } from '../types';
import { createAnalyticsReader } from '../analytics/analytics-reader';
import { createRowExport } from '../export-rows';
import { deleteVisitorWork } from '../analytics/maintenance';
import { BACKLOG_SQL, DEFAULT_FOLD_BATCHES, foldWork, runFoldAsync } from '../analytics/fold-queue';
import { inlineParams, runAsync, toPostgresPlaceholders } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { acquirePostgresLease, FOLD_LOCK_SQL } from './analytics-lease';
import { createRecentRows, keepWhileHeld } from '../analytics/recent-rows';
import { SILENCE_GRACE_MS } from './deadlines';
import { runMigrations } from './migrate';
import { createPostgresWebhookOutbox } from './webhook-outbox';
import { createPostgresWidgetRegistry } from './widget-registry';
import { createPostgresConversationStore } from './conversations';

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
  /**
   * Deadline of one statement, lock waits included: PostgreSQL cancels it
   * (`statement_timeout`); a connection that stays silent {@link SILENCE_GRACE_MS} longer is
   * given up on by the client (`query_timeout`) and closed.
   * @default 30000
   */
  statementTimeoutMs?: number;
  /** Called with errors of idle connections (which would otherwise crash the process). */
  onIdleError?: (error: Error) => void;
}

/** One row of `events` to insert: JSON columns cast from text. */
const EVENT_VALUES = `(${EVENT_COLUMNS.map((c) => (c === 'properties' || c === 'context' ? '?::jsonb' : '?')).join(', ')})`;

/**
 * The insert of rows in one statement (so one round trip, in autocommit): the rows, stored
 * pairs skipped, and one `analytics_queue` row per widget naming the events it stored; the
 * answer names the rows it stored and the queue rows. For rows of several widgets.
 */
const insertSql = (count: number): string => `WITH stored AS (
      INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${Array.from({ length: count }, () => EVENT_VALUES).join(', ')}
      ON CONFLICT (widget_id, event_id) DO NOTHING RETURNING widget_id, event_id
    ), queued AS (
      INSERT INTO analytics_queue (widget_id, event_ids) SELECT widget_id, json_agg(event_id)::text FROM stored GROUP BY widget_id
      RETURNING id, widget_id, event_ids
    )
    SELECT 'stored' AS what, widget_id, event_id, NULL AS event_ids, NULL::bigint AS queue_id FROM stored
    UNION ALL SELECT 'queued', widget_id, NULL, event_ids, id FROM queued`;

/**
 * The insert of one widget's rows, which is every ingestion request's: the same queue row, and
 * an answer of the stored ids (in the order the queue row names them) with the queue row's id.
 * Leaner for the database than {@link insertSql}: no grouping, no union, no ids sent back twice.
 */
const oneWidgetInsertSql = (count: number): string => `WITH stored AS (
      INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${Array.from({ length: count }, () => EVENT_VALUES).join(', ')}
      ON CONFLICT (widget_id, event_id) DO NOTHING RETURNING event_id
    ), queued AS (
      INSERT INTO analytics_queue (widget_id, event_ids) SELECT ?, json_agg(event_id)::text FROM stored HAVING count(*) > 0
      RETURNING id
    )
    SELECT event_id, (SELECT id FROM queued) AS queue_id FROM stored`;

/** Statement texts by kind and row count: a batch's text is built once, not on every request. */
const insertTexts = new Map<string, string>();
const insertText = (kind: 'one' | 'any', count: number): string => {
  const key = `${kind}:${count}`;
  let sql = insertTexts.get(key);
  if (sql === undefined) insertTexts.set(key, (sql = kind === 'one' ? oneWidgetInsertSql(count) : insertSql(count)));
  return sql;
};

/**
 * Prepared statements by text, up to {@link PREPARED_CACHE_LIMIT} texts: hashing and numbering
 * the placeholders of a batch's insert cost more than its bind, so each text is done once.
 */
const preparedByText = new Map<string, { name: string; text: string }>();
const PREPARED_CACHE_LIMIT = 1000;

/** Prepared once per connection under a name derived from the text. */
const prepared = (sql: string): { name: string; text: string } => {
  let query = preparedByText.get(sql);
  if (query === undefined) {
    // Texts with a list of variable length (`IN (?, ?, …)`) are many: start over when full.
    if (preparedByText.size >= PREPARED_CACHE_LIMIT) preparedByText.clear();
    query = { name: `fw_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`, text: toPostgresPlaceholders(sql) };
    preparedByText.set(sql, query);
  }
  return query;
};

async function execute(client: pg.ClientBase | pg.Pool, { sql, params }: Statement): Promise<StatementResult> {
  const result = await client.query({ ...prepared(sql), values: params as unknown[] });
  return { rows: result.rows as Record<string, unknown>[], count: result.rowCount ?? 0 };
}

/**
 * Several statements in one round trip: one simple-protocol text, values inlined as literals
 * (`escapeLiteral`). Resolves with one result per statement.
 */
async function executeAll(client: pg.ClientBase, statements: readonly (Statement | string)[]): Promise<StatementResult[]> {
  const text = statements.map((statement) => (typeof statement === 'string' ? statement : inlineParams(statement, (value) => client.escapeLiteral(value))));
  const answer = (await client.query(text.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
  return (Array.isArray(answer) ? answer : [answer]).map((result) => ({ rows: result.rows as Record<string, unknown>[], count: result.rowCount ?? 0 }));
}

const LIST_SQL = `
  SELECT ${EVENT_COLUMNS.join(', ')} FROM events
  WHERE widget_id = $1 AND ($2::text IS NULL OR kind = $2)
  ORDER BY ts, event_id LIMIT $3`;

/**
 * Opens a PostgreSQL event store: a connection pool, migrations applied under an advisory lock
 * so several collectors can start against one database at once.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + SILENCE_GRACE_MS,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await runMigrations(options);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `Cannot open PostgreSQL store: ${(error as Error).message}`, { cause: error });
  }
  let closed = false;
  const recent = createRecentRows();

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) throw new CollectorError(COLLECTOR_ERROR_CODES.STORE_CLOSED, 'The PostgreSQL store is closed');
    try {
      return await work();
    } catch (error) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  };

  /** Runs `work` on one pooled connection that it starts a transaction on; rolls back if it fails. */
  const onClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A failed connection (a statement past its deadline, a silent server) is closed rather
      // than handed to the next request.
      client.release(error as Error);
      throw error;
    }
  };

  /** Runs `work` inside BEGIN … COMMIT on one pooled connection. */
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    onClient(async (client) => {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    });

  const queryRows = (sql: string, params: readonly unknown[]) => guard(async () => (await execute(pool, { sql, params, want: 'rows' })).rows);
  const reader = createAnalyticsReader(
    queryRows,
    {
      inTransaction: <T>(work: Work<T>) => guard(() => transaction((client) => runAsync(work, (statement) => execute(client, statement)))),
      autocommit: <T>(work: Work<T>) => guard(() => runAsync(work, (statement) => execute(pool, statement))),
    },
    'postgres',
  );

  return {
    ...reader,
    ...createPostgresWidgetRegistry((statement) => execute(pool, statement), guard),
    ...createPostgresWebhookOutbox((statement) => execute(pool, statement), guard),
    ...createPostgresConversationStore({
      transact: (work) => transaction((client) => work((statement) => execute(client, statement))),
      execute: (statement) => execute(pool, statement),
      guard,
      connectionString: options.connectionString,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 5000,
    }),
    engine: 'postgres',
    // After any fold in progress, so a fold cannot write back a session of the person deleted.
    deleteVisitor: ({ widgetId, id }) =>
      guard(() =>
        transaction(async (client) => {
          await client.query(FOLD_LOCK_SQL);
          return runAsync(deleteVisitorWork(widgetId, id), (statement) => execute(client, statement));
        }),
      ),
    /** One statement in autocommit: the answer comes back once it has committed. */
    insertEvents: (rows): Promise<InsertResult> =>
      guard(async () => {
        if (rows.length === 0) return { inserted: [], duplicates: [] };
        const params = rows.flatMap(rowToValues);
        const widgetId = (rows[0] as EventRow).widgetId;
        if (rows.every((row) => row.widgetId === widgetId)) {
          const result = await execute(pool, { sql: insertText('one', rows.length), params: [...params, widgetId], want: 'rows' });
          const storedIds = result.rows.map((r) => String(r.event_id));
          const inserted = new Set(storedIds);
          const split = splitResults(rows, (row) => inserted.has(row.eventId));
          // Committed (autocommit): hand the rows to this process's folds, in the queue row's order.
          const queueId = result.rows[0]?.queue_id;
          if (queueId !== undefined && queueId !== null) {
            const byId = new Map(rows.map((row) => [row.eventId, row]));
            recent.add(Number(queueId), storedIds.map((id) => byId.get(id) as EventRow));
          }
          return split;
        }
        const result = await execute(pool, { sql: insertText('any', rows.length), params, want: 'rows' });
        const inserted = new Set(result.rows.filter((r) => r.what === 'stored').map((r) => `${String(r.widget_id)}\u0000${String(r.event_id)}`));
        const split = splitResults(rows, (row) => inserted.has(`${row.widgetId}\u0000${row.eventId}`));
        for (const queued of result.rows.filter((r) => r.what === 'queued')) {
          const byId = new Map(rows.filter((row) => row.widgetId === queued.widget_id).map((row) => [row.eventId, row]));
          const ids = JSON.parse(String(queued.event_ids)) as string[];
          const stored = ids.map((id) => byId.get(id));
          if (stored.every((row) => row !== undefined)) recent.add(Number(queued.queue_id), stored as EventRow[]);
        }
        return split;
      }),
    /**
     * One round trip per step of the fold, the first opening the transaction and taking the fold
     * lock, then COMMIT. The commit does not wait for its WAL flush (`synchronous_commit = off`,
     * this transaction only): a crash can lose the whole fold, queue deletes included, which is
     * then folded again; the next ingest commit's flush covers it anyway.
     */
    advanceAnalytics: (options = {}) =>
      guard(() =>
        onClient(async (client) => {
          // The transaction opens in the first step's round trip.
          let opening: string[] = ['BEGIN', 'SET LOCAL synchronous_commit = off', FOLD_LOCK_SQL];
          const result = await runFoldAsync(foldWork(options.maxBatches ?? DEFAULT_FOLD_BATCHES, recent, true), async (statements) => {
            const head = opening;
            opening = [];
            return (await executeAll(client, [...head, ...statements])).slice(head.length);
          });
          await client.query('COMMIT');
          return result;
        }),
      ),
    analyticsBacklog: () => guard(async () => Number((await pool.query<{ n: string }>(BACKLOG_SQL)).rows[0]?.n ?? 0)),
    acquireAnalyticsLease: () =>
      guard(async () =>
        keepWhileHeld(await acquirePostgresLease({ connectionString: options.connectionString, connectionTimeoutMs: options.connectionTimeoutMs ?? 5000 }), recent),
      ),
    listEvents: (query: EventQuery) =>
      guard(async () => {
        const result = await pool.query<RawEventRecord>(LIST_SQL, [query.widgetId, query.kind ?? null, query.limit ?? DEFAULT_EVENT_QUERY_LIMIT]);
        return result.rows.map(recordToRow);
      }),
    exportRows: createRowExport(queryRows),
    ping: () => guard(async () => void (await pool.query('SELECT 1'))),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
