import type { EventStore } from '../store';
import type { AnalyticsLease } from '../store/types';

/** The part of a pino/fastify logger the worker writes to. */
export interface AnalyticsWorkerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Tunables of the analytics worker, all with defaults. */
export interface AnalyticsWorkerTimings {
  /**
   * After ingestion stores something, how long the worker waits before folding, so that the
   * batches of that moment are folded together.
   * @default 100
   */
  settleMs: number;
  /**
   * How often the leader looks at the queue when this process stored nothing (batches stored
   * through other collectors on the same PostgreSQL).
   * @default 250
   */
  pollMs: number;
  /**
   * How often a standby tries to take the lease; with a dead leader's lease freed at once, the
   * takeover happens within this.
   * @default 2000
   */
  leaseRetryMs: number;
  /**
   * While this process is ingesting (a batch stored in the last `busyWindowMs`), the share of
   * time folds may take; the rest is left to ingestion. When ingestion pauses, the worker folds
   * without pause until the queue is empty.
   * @default 0.15
   */
  busyShare: number;
  /**
   * How long after the last stored batch ingestion counts as busy.
   * @default 200
   */
  busyWindowMs: number;
  /**
   * Target length of one fold while ingestion is busy (a SQLite fold holds the event loop): the
   * batches per fold follow from the last fold's time per batch.
   * @default 4
   */
  busyFoldMs: number;
  /**
   * Most batches per fold (when ingestion is quiet).
   * @default 500
   */
  maxBatches: number;
  /**
   * Wait after a failed fold or lease attempt before the next.
   * @default 1000
   */
  retryMs: number;
}

/** Defaults of {@link AnalyticsWorkerTimings}. */
export const DEFAULT_ANALYTICS_WORKER_TIMINGS: Readonly<AnalyticsWorkerTimings> = Object.freeze({
  settleMs: 100,
  pollMs: 250,
  leaseRetryMs: 2000,
  busyShare: 0.15,
  busyWindowMs: 200,
  busyFoldMs: 4,
  maxBatches: 500,
  retryMs: 1000,
});

/** Options of {@link startAnalyticsWorker}. */
export interface AnalyticsWorkerOptions {
  store: Pick<EventStore, 'advanceAnalytics' | 'acquireAnalyticsLease'>;
  logger: AnalyticsWorkerLogger;
  timings?: Partial<AnalyticsWorkerTimings>;
  /**
   * A monotonic clock in ms.
   * @default performance.now
   */
  clock?: () => number;
}

/** What the worker reports about itself. */
export interface AnalyticsWorkerStatus {
  /** This collector holds the lease: its worker is the one folding. */
  leader: boolean;
}

/** The running analytics worker of a collector. */
export interface AnalyticsWorker {
  /** Ingestion stored a batch in this process: fold it soon. */
  notify(): void;
  /**
   * Folds everything stored before the call, now, whichever collector leads (folds are one at
   * a time across collectors anyway). The drain hook for tests and tools that read analytics
   * right after ingesting.
   * @throws Error when the queue is not empty after `timeoutMs` (default 30,000).
   */
  drain(timeoutMs?: number): Promise<void>;
  status(): AnalyticsWorkerStatus;
  /** Ends the loop after the fold in progress and gives the lease up. Idempotent. */
  stop(): Promise<void>;
}

const DRAIN_BATCHES = 1000;

/**
 * Folds everything queued, fold after fold, until the queue is empty (the drain hook of a
 * store without a running collector: tests that read analytics right after `insertEvents`).
 * @throws Error when it is not empty after `timeoutMs`.
 */
export async function drainAnalytics(store: Pick<EventStore, 'advanceAnalytics'>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await store.advanceAnalytics({ maxBatches: DRAIN_BATCHES });
    if (!result.more) return;
    if (Date.now() > deadline) throw new Error(`analytics not drained within ${timeoutMs} ms`);
  }
}

/**
 * Starts the analytics worker: raw events are committed on the request path, and this folds
 * them into sessions, visitors and the daily rollups in bulk, a few hundred batches per
 * transaction (see `foldWork`).
 *
 * 1. Lease: only the collector holding it folds (PostgreSQL: one per database; a standby
 *    retries every `leaseRetryMs` and takes over when the leader's connection ends).
 * 2. Leader loop: fold; when the queue had more, fold again at once if ingestion is quiet, or
 *    after a pause that keeps folds to `busyShare` of the time while it is busy; when the
 *    queue is empty, wait for a stored batch (`notify`) or `pollMs`, then `settleMs`.
 * 3. A failed fold rolls back whole (nothing counted, queue rows kept) and is retried after
 *    `retryMs`.
 */
export function startAnalyticsWorker(options: AnalyticsWorkerOptions): AnalyticsWorker {
  const t = { ...DEFAULT_ANALYTICS_WORKER_TIMINGS, ...options.timings };
  const clock = options.clock ?? (() => performance.now());
  const { store, logger } = options;
  let stopped = false;
  let lease: AnalyticsLease | null = null;
  let lastStored = -Infinity;
  let perBatchMs = 0.5;
  let wake: (() => void) | undefined;
  let notified = false;

  /** Resolves after `ms`, or earlier on `notify` (when `wakeOnNotify`) or `stop`. */
  const pause = (ms: number, wakeOnNotify: boolean): Promise<void> =>
    new Promise((resolve) => {
      if (stopped || (wakeOnNotify && notified)) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      wake = wakeOnNotify ? done : () => (stopped ? done() : undefined);
    });

  const busy = () => clock() - lastStored < t.busyWindowMs;

  const takeLease = async (): Promise<void> => {
    try {
      lease = await store.acquireAnalyticsLease();
    } catch (error) {
      logger.warn({ err: error }, 'analytics lease: could not ask the store; retrying');
      return;
    }
    if (lease === null) return;
    const held = lease;
    logger.info({}, 'analytics worker: this collector folds the analytics');
    void held.lost.then(() => {
      if (lease !== held) return;
      lease = null;
      if (!stopped) logger.warn({}, 'analytics lease lost: its connection ended; trying to take it again');
    });
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (lease === null) {
        await takeLease();
        if (lease === null) await pause(t.leaseRetryMs, false);
        continue;
      }
      notified = false;
      const quiet = !busy();
      const maxBatches = quiet ? t.maxBatches : Math.max(1, Math.min(t.maxBatches, Math.floor(t.busyFoldMs / perBatchMs)));
      const started = clock();
      let more: boolean;
      try {
        const result = await store.advanceAnalytics({ maxBatches });
        const took = clock() - started;
        if (result.batches > 0) perBatchMs = Math.max(0.01, took / result.batches);
        more = result.more;
        // Let requests in between folds (a SQLite fold resolves without leaving the microtask queue).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (more && !busy()) continue;
        if (more) {
          await pause((took * (1 - t.busyShare)) / t.busyShare, false);
          continue;
        }
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'analytics fold failed; nothing of it was counted, retrying');
        await pause(t.retryMs, false);
        continue;
      }
      await pause(t.pollMs, true);
      if (notified) await pause(t.settleMs, false);
    }
  };

  const running = loop();
  let stopping: Promise<void> | undefined;

  return {
    notify: () => {
      lastStored = clock();
      notified = true;
      wake?.();
    },
    drain: async (timeoutMs = 30_000) => drainAnalytics(store, timeoutMs),
    status: () => ({ leader: lease !== null }),
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        wake?.();
        await running;
        const held = lease;
        lease = null;
        await held?.release();
      })();
      return stopping;
    },
  };
}
