import type Database from 'better-sqlite3';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../../errors';
import type { EventRow, InsertResult } from '../types';

interface Pending {
  rows: readonly EventRow[];
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

/** Batches waiting for the next commit; `flush()` commits them now. */
export interface GroupCommit {
  submit(rows: readonly EventRow[]): Promise<InsertResult>;
  flush(): void;
}

const unavailable = (error: unknown) =>
  new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `SQLite: ${(error as Error).message}`, { cause: error });

/**
 * Group commit for the single SQLite writer: every batch submitted during one event-loop turn is
 * written in one transaction, which costs one sync to disk instead of one per batch.
 *
 * 1. The first submit of a turn schedules a flush with `setImmediate`.
 * 2. The flush opens `BEGIN IMMEDIATE` and writes each batch inside its own SAVEPOINT; a batch
 *    that fails is rolled back to its savepoint and rejected alone (all or nothing per batch).
 * 3. After COMMIT every surviving batch resolves; if COMMIT fails, all of them reject. So a
 *    caller hears "stored" only once the data is committed.
 */
export function createGroupCommit(
  db: Database.Database,
  insertRows: (rows: readonly EventRow[]) => InsertResult,
  hooks: { committed?: () => void; aborted?: () => void } = {},
): GroupCommit {
  let queue: Pending[] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const savepoint = db.prepare('SAVEPOINT batch');
  const release = db.prepare('RELEASE batch');
  const rollbackTo = db.prepare('ROLLBACK TO batch');

  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    const done: { pending: Pending; result: InsertResult }[] = [];
    try {
      begin.run();
    } catch (error) {
      hooks.aborted?.();
      for (const pending of group) pending.reject(unavailable(error));
      return;
    }
    for (const pending of group) {
      savepoint.run();
      try {
        done.push({ pending, result: insertRows(pending.rows) });
        release.run();
      } catch (error) {
        rollbackTo.run();
        release.run();
        pending.reject(unavailable(error));
      }
    }
    try {
      commit.run();
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      hooks.aborted?.();
      for (const { pending } of done) pending.reject(unavailable(error));
      return;
    }
    hooks.committed?.();
    for (const { pending, result } of done) pending.resolve(result);
  };

  return {
    submit: (rows) =>
      new Promise<InsertResult>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        scheduled ??= setImmediate(flush);
      }),
    flush,
  };
}
