import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../../errors';
import { EVENT_COLUMNS, recordToRow, rowToValues } from '../row-codec';
import type { RawEventRecord } from '../row-codec';
import { splitResults } from '../split-results';
import { DEFAULT_EVENT_QUERY_LIMIT } from '../types';
import type { EventQuery, EventRow, EventStore, InsertResult } from '../types';
import { createAnalyticsReader } from '../analytics/analytics-reader';
import { createRowExport } from '../export-rows';
import { BACKLOG_SQL, DEFAULT_FOLD_BATCHES, ENQUEUE_SQL, foldWork, runFoldSync } from '../analytics/fold-queue';
import { runSync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { createGroupCommit } from './group-commit';
import { runMigrations } from './migrate';
import { createSqliteWebhookOutbox } from './webhook-outbox';
import { createSqliteWidgetRegistry } from './widget-registry';
import { createSqliteConversationStore } from './conversations';
import { createSqliteLease } from './analytics-lease';
import { createRecentRows, keepWhileHeld } from '../analytics/recent-rows';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** File path, or `:memory:`. */
  filename: string;
  /**
   * `synchronous` pragma: `full` survives power loss, `normal` a process crash.
   * @default "full"
   */
  synchronous?: 'full' | 'normal';
  /**
   * How long to wait for a lock held by another connection.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a SQLite event store: WAL journal, one connection that is the only
 * writer, migrations applied. Batches submitted in the same event-loop turn share one commit
 * (see `createGroupCommit`), each batch still all or nothing.
 */
export function openSqliteStore(options: SqliteStoreOptions): EventStore {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
  const db = new Database(options.filename);
  const synchronous = options.synchronous === 'normal' ? 'NORMAL' : 'FULL';
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('cache_size = -65536'); // 64 MB: keeps the key index hot
    // Statement journals of the per-batch savepoints in memory, not in temporary files.
    db.pragma('temp_store = MEMORY');
    runMigrations(db);
  } catch (error) {
    db.close();
    throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `Cannot open SQLite store: ${(error as Error).message}`, { cause: error });
  }

  const insert = db.prepare(
    `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (widget_id, event_id) DO NOTHING`,
  );
  const statements = new Map<string, Database.Statement>();
  const execute = ({ sql, params, want }: Statement): StatementResult => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    if (want === 'rows') {
      const found = statement.all(...params) as Record<string, unknown>[];
      return { rows: found, count: found.length };
    }
    return { rows: [], count: statement.run(...params).changes };
  };
  const enqueue = db.prepare(ENQUEUE_SQL);
  const recent = createRecentRows();
  // The stored rows of the group's batches, handed to the analytics once the group commits.
  let staged: [number, EventRow[]][] = [];
  // Raw events, then the batch's queue row per widget, in the same savepoint of the group commit.
  const insertRows = (rows: readonly EventRow[]): InsertResult => {
    const stored = new Map<string, EventRow[]>();
    const result = splitResults(rows, (row) => {
      const inserted = insert.run(...rowToValues(row)).changes === 1;
      if (inserted) {
        const same = stored.get(row.widgetId);
        if (same) same.push(row);
        else stored.set(row.widgetId, [row]);
      }
      return inserted;
    });
    for (const [widgetId, widgetRows] of stored) {
      const queueId = Number(enqueue.run(widgetId, JSON.stringify(widgetRows.map((row) => row.eventId))).lastInsertRowid);
      staged.push([queueId, widgetRows]);
    }
    return result;
  };
  const commitGroup = createGroupCommit(db, insertRows, {
    committed: () => {
      for (const [queueId, rows] of staged) recent.add(queueId, rows);
      staged = [];
    },
    aborted: () => {
      staged = [];
    },
  });
  const list = db.prepare(`SELECT ${EVENT_COLUMNS.join(', ')} FROM events WHERE widget_id = ? AND (? IS NULL OR kind = ?) ORDER BY ts, event_id LIMIT ?`);
  const ping = db.prepare('SELECT 1');
  const backlog = db.prepare(BACKLOG_SQL);
  const lease = createSqliteLease(db);
  let closed = false;

  const guard = <T>(work: () => T): Promise<T> => {
    if (closed) return Promise.reject(new CollectorError(COLLECTOR_ERROR_CODES.STORE_CLOSED, 'The SQLite store is closed'));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `SQLite: ${(error as Error).message}`, { cause: error }));
    }
  };

  const runners = {
    // A synchronous transaction on the one connection: nothing else can run in between.
    inTransaction: <T>(work: Work<T>) => guard(() => db.transaction(() => runSync(work, execute)).immediate()),
    autocommit: <T>(work: Work<T>) => guard(() => runSync(work, execute)),
  };
  const queryRows = (sql: string, params: readonly unknown[]) => guard(() => execute({ sql, params, want: 'rows' }).rows);
  const reader = createAnalyticsReader(queryRows, runners, 'sqlite');

  return {
    ...reader,
    ...createSqliteWidgetRegistry(execute, guard),
    ...createSqliteWebhookOutbox(execute, guard),
    ...createSqliteConversationStore(runners.inTransaction, runners.autocommit),
    engine: 'sqlite',
    insertEvents: (rows): Promise<InsertResult> => {
      if (closed) return Promise.reject(new CollectorError(COLLECTOR_ERROR_CODES.STORE_CLOSED, 'The SQLite store is closed'));
      return rows.length === 0 ? Promise.resolve({ inserted: [], duplicates: [] }) : commitGroup.submit(rows);
    },
    // Synchronous on the one connection: nothing else runs during a fold, so folds are one at a
    // time. A fold's commit skips the sync to disk: if power fails before the next ingest
    // commit syncs the journal (which covers every frame before it), the whole fold is lost
    // with its queue deletes, and is simply folded again.
    advanceAnalytics: (options = {}) =>
      guard(() => {
        db.pragma('synchronous = NORMAL');
        try {
          return db.transaction(() => runFoldSync(foldWork(options.maxBatches ?? DEFAULT_FOLD_BATCHES, recent), execute)).immediate();
        } finally {
          db.pragma(`synchronous = ${synchronous}`);
        }
      }),
    analyticsBacklog: () => guard(() => Number((backlog.get() as { n: number }).n)),
    acquireAnalyticsLease: () => guard(() => keepWhileHeld(lease(), recent)),
    listEvents: (query: EventQuery) =>
      guard(() =>
        (list.all(query.widgetId, query.kind ?? null, query.kind ?? null, query.limit ?? DEFAULT_EVENT_QUERY_LIMIT) as RawEventRecord[]).map(recordToRow),
      ),
    exportRows: createRowExport(queryRows),
    ping: () => guard(() => void ping.get()),
    close: async () => {
      if (closed) return;
      closed = true;
      commitGroup.flush();
      db.close();
    },
  };
}
