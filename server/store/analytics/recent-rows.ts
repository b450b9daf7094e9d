import type { AnalyticsLease, EventRow } from '../types';

/**
 * Events most often fold in the process that stored them, less than a second later: this
 * keeps the rows of recently committed batches in memory, by queue row id, so that a fold
 * takes them from here instead of reading them back (reading them was over a third of a
 * fold's time). Only while this process holds the analytics lease (else another process
 * folds them), and at most `limit` events: past it, batches are read back as usual, which is
 * also what happens after a restart or a takeover.
 */
export interface RecentRows {
  /** Keeps (true) or stops keeping and forgets (false). */
  keep(on: boolean): void;
  /**
   * The deletion epoch a fold read (`BUMP_EPOCH_SQL`): when it differs from the last one seen
   * (or none was seen yet), stored events may have been deleted since their rows were kept, so
   * all kept rows are forgotten and read back.
   */
  sync(epoch: number): void;
  /** The rows a committed batch stored, under its queue row id. */
  add(queueId: number, rows: readonly EventRow[]): void;
  /**
   * The rows kept under `queueId`, forgotten as they are handed out, if they are exactly the
   * events the queue row names (else the fold reads them back).
   */
  take(queueId: number, eventIds: readonly string[]): readonly EventRow[] | undefined;
}

/**
 * Events kept at most, by default: about 25–50 MB of rows, a few seconds of ingestion at full
 * speed.
 */
export const RECENT_ROWS_LIMIT = 50_000;

export function createRecentRows(limit = RECENT_ROWS_LIMIT): RecentRows {
  const kept = new Map<number, readonly EventRow[]>();
  let size = 0;
  let keeping = false;
  let seenEpoch: number | null = null;
  const forget = () => {
    kept.clear();
    size = 0;
  };
  return {
    keep: (on) => {
      keeping = on;
      if (!on) forget();
    },
    sync: (epoch) => {
      if (epoch !== seenEpoch) forget();
      seenEpoch = epoch;
    },
    add: (queueId, rows) => {
      if (!keeping || size + rows.length > limit) return;
      kept.set(queueId, rows);
      size += rows.length;
    },
    take: (queueId, eventIds) => {
      const rows = kept.get(queueId);
      if (rows === undefined) return undefined;
      kept.delete(queueId);
      size -= rows.length;
      if (rows.length !== eventIds.length || rows.some((row, i) => row.eventId !== eventIds[i])) return undefined;
      return rows;
    },
  };
}

/** `lease`, with `recent` keeping rows while it is held. */
export function keepWhileHeld(lease: AnalyticsLease | null, recent: RecentRows): AnalyticsLease | null {
  if (lease === null) return null;
  recent.keep(true);
  void lease.lost.then(() => recent.keep(false));
  return {
    lost: lease.lost,
    release: async () => {
      recent.keep(false);
      await lease.release();
    },
  };
}
