import { performance } from 'node:perf_hooks';
import type { EventStore, StoreEngine } from '../store';
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
   * While ingestion saturates this collector (on average `saturatedInFlight` ingestion
   * requests or more in progress since the last fold), the share of time folds may take: the
   * rest is left to ingestion, and the analytics fall behind until the load eases.
   * @default 0.05
   */
  busyShare: number;
  /**
   * While this collector ingests below saturation, the most time folds may take.
   * @default 0.8
   */
  spareShare: number;
  /**
   * How busy the event loop may be, folds included: folds take what ingestion and the rest
   * leave below it (between `busyShare` and `spareShare`). Under a load that saturates the
   * collector, ingestion fills the loop and folds get `busyShare`; under a lighter one they get
   * the room left, which is what keeps the analytics within a second of ingestion.
   * @default 0.95
   */
  targetUtilization: number;
  /**
   * Average ingestion requests in progress at or above which ingestion counts as saturating
   * whatever the event loop says (PostgreSQL: requests wait on the database, not the loop;
   * more than its pool's connections means they queue for one).
   * @default 12
   */
  saturatedInFlight: number;
  /**
   * How long after the last stored batch ingestion counts as quiet: the worker then folds
   * without pause until the queue is empty.
   * @default 200
   */
  busyWindowMs: number;
  /**
   * Target event-loop time of one fold while ingestion saturates (a SQLite fold holds the
   * loop; a PostgreSQL one hardly): the batches per fold follow from the last fold's loop time
   * per batch.
   * @default 4
   */
  busyFoldMs: number;
  /**
   * Target event-loop time of one fold otherwise (ingestion below saturation). Larger folds
   * cost less per batch, as a fold's fixed part (the queue read and delete, the daily rows, the
   * commit: about 0.8 ms on SQLite) is shared by more batches: 150–200 µs a batch in folds of
   * 10–25, 90–120 µs in folds of 100–200. A request that arrives during a fold waits for it.
   * @default 12
   */
  foldMs: number;
  /**
   * Most batches per fold (when ingestion is quiet).
   * @default 500
   */
  maxBatches: number;
  /**
   * While ingestion is busy, the most time folds may take even when each empties the queue
   * (they then wait at least the pause that keeps them to it before the next, besides
   * `settleMs`): under a load they only just keep up with, folds every `settleMs` could take
   * most of the time. On SQLite the loop-time targets (`foldMs`, `busyFoldMs`) already bound
   * them.
   * @default 1 (no limit beyond `settleMs`)
   */
  keepUpShare: number;
  /**
   * Once the folds have stayed behind for `lateAfterMs` (every fold since left batches queued)
   * and this process stored more batches in that time than they folded (the backlog grows: a
   * load that outruns them saturates the collector), the most time they may take: ingestion
   * gets the rest, and the analytics catch up once the load eases. A backlog that shrinks is
   * a catch-up after a slow moment, which keeps the share it had.
   * @default 1 (no limit beyond the others)
   */
  lateShare: number;
  /**
   * How long the folds stay behind before the worker looks whether the backlog grows.
   * @default 1000
   */
  lateAfterMs: number;
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
  busyShare: 0.05,
  spareShare: 0.8,
  targetUtilization: 0.95,
  saturatedInFlight: 12,
  busyWindowMs: 200,
  busyFoldMs: 4,
  foldMs: 12,
  maxBatches: 500,
  keepUpShare: 1,
  lateShare: 1,
  lateAfterMs: 1000,
  retryMs: 1000,
});

/**
 * What differs by engine: a PostgreSQL fold hardly holds the event loop; its cost is on the
 * database, shared with ingestion, which the loop does not show. So its share of the time is a
 * fixed 20 % while ingestion is busy, whether folds keep up or catch up: enough for half of
 * what saturates the database with room to catch up after a slow fold (10 % was not: under
 * that load a fold's wall time per batch was above what 10 % allows). Behind while the backlog grows (`lateShare`), folds keep
 * to 5 %, leaving the database to a load that saturates it, and catch up once the load eases.
 * The backlog is judged from the batches this process stored: a leader whose batches come
 * through other collectors too keeps to 20 %.
 */
export const ANALYTICS_WORKER_TIMINGS_BY_ENGINE: Readonly<Record<StoreEngine, Partial<AnalyticsWorkerTimings>>> = Object.freeze({
  sqlite: Object.freeze({}),
  postgres: Object.freeze({ busyShare: 0.2, spareShare: 0.2, keepUpShare: 0.2, lateShare: 0.05 }),
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
  /**
   * The event loop's utilization (0–1) since the previous call.
   * @default from `performance.eventLoopUtilization()`
   */
  loopUtilization?: () => number;
}

/** The event loop's utilization since the previous call (the first call: since the process began). */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
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
  /** An ingestion request began (`+1`) or ended (`-1`): how busy ingestion is. */
  ingesting(delta: 1 | -1): void;
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
/** Weight of the latest window in the smoothed share of the loop the rest takes. */
const OTHERS_SMOOTHING = 0.2;

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
 *    else after a pause that keeps folds to the room ingestion leaves on the event loop
 *    (`targetUtilization`), at least `busyShare` and at most `spareShare` of the time, and to
 *    `busyShare` while ingestion requests pile up (`saturatedInFlight`), and to `lateShare`
 *    once the folds have stayed behind for `lateAfterMs` with the backlog growing; when the
 *    queue is empty, wait for a stored batch (`notify`) or `pollMs`, then `settleMs`, and while
 *    ingestion is busy at least the pause that keeps such folds to `keepUpShare`.
 * 3. A failed fold rolls back whole (nothing counted, queue rows kept) and is retried after
 *    `retryMs`.
 */
export function startAnalyticsWorker(options: AnalyticsWorkerOptions): AnalyticsWorker {
  const t = { ...DEFAULT_ANALYTICS_WORKER_TIMINGS, ...options.timings };
  const clock = options.clock ?? (() => performance.now());
  const loopUtilization = options.loopUtilization ?? eventLoopUtilization();
  // Fold time since the last look at the loop's utilization, and when that look was; the
  // share of the loop the rest takes, smoothed (one window's figure swings with the bursts of
  // requests that waited for a fold).
  let foldedMs = 0;
  let lookedAt = clock();
  let othersShare = 0.5;
  /** The share of time folds may take now (see `targetUtilization`). */
  const foldShare = (saturated: boolean): number => {
    const now = clock();
    const window = now - lookedAt;
    const others = window > 0 ? Math.max(0, loopUtilization() - foldedMs / window) : 1;
    foldedMs = 0;
    lookedAt = now;
    othersShare += OTHERS_SMOOTHING * (others - othersShare);
    if (saturated) return t.busyShare;
    return Math.min(t.spareShare, Math.max(t.busyShare, t.targetUtilization - othersShare));
  };
  const { store, logger } = options;
  let stopped = false;
  let lease: AnalyticsLease | null = null;
  let lastStored = -Infinity;
  let perBatchMs = 0.5;
  let wake: (() => void) | undefined;
  let notified = false;
  /** Batches this process stored (`notify`). */
  let stored = 0;
  /**
   * Since the first of the folds that have all left batches queued since (null: the last
   * emptied the queue): when it began, the batches stored before it, and those folded since.
   */
  let behind: { since: number; storedBefore: number; folded: number } | null = null;
  /** Behind for `lateAfterMs`, and the backlog grew meanwhile. */
  const late = (): boolean =>
    behind !== null && clock() - behind.since >= t.lateAfterMs && stored - behind.storedBefore > behind.folded;

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

  // Ingestion requests in progress, and their time integral since the last fold.
  let inFlight = 0;
  let inFlightSum = 0;
  let inFlightSince = clock();
  let inFlightAt = inFlightSince;
  const settleInFlight = () => {
    const now = clock();
    inFlightSum += inFlight * (now - inFlightAt);
    inFlightAt = now;
  };
  /** The average number of ingestion requests in progress since the last call. */
  const averageInFlight = (): number => {
    settleInFlight();
    const average = inFlightAt > inFlightSince ? inFlightSum / (inFlightAt - inFlightSince) : inFlight;
    inFlightSum = 0;
    inFlightSince = inFlightAt;
    return average;
  };

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
      const share = foldShare(averageInFlight() >= t.saturatedInFlight);
      const targetMs = share <= t.busyShare ? t.busyFoldMs : t.foldMs;
      const maxBatches = busy() ? Math.max(1, Math.min(t.maxBatches, Math.floor(targetMs / perBatchMs))) : t.maxBatches;
      const started = clock();
      let more: boolean;
      /** The rest after this fold that keeps folds that each empty the queue to `keepUpShare`. */
      let restMs: number;
      try {
        // What a fold holds the event loop for is the part of the call that runs before it
        // returns its promise: all of a SQLite fold (synchronous), little of a PostgreSQL one
        // (its round trips wait for the server without holding the loop).
        const folding = store.advanceAnalytics({ maxBatches });
        const heldMs = clock() - started;
        const result = await folding;
        const took = clock() - started;
        foldedMs += took;
        // The batches per fold follow from the loop time a batch holds, not the wall time, which
        // on PostgreSQL is mostly round trips and would shrink folds to a batch.
        if (result.batches > 0) perBatchMs = Math.max(0.001, heldMs / result.batches);
        more = result.more;
        if (!more) behind = null;
        else {
          behind ??= { since: started, storedBefore: stored, folded: 0 };
          behind.folded += result.batches;
        }
        restMs = (took * (1 - t.keepUpShare)) / t.keepUpShare;
        // Let requests in between folds (a SQLite fold resolves without leaving the microtask queue).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (more && !busy()) continue;
        if (more) {
          const kept = late() ? Math.min(share, t.lateShare) : share;
          await pause((took * (1 - kept)) / kept, false);
          continue;
        }
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'analytics fold failed; nothing of it was counted, retrying');
        await pause(t.retryMs, false);
        continue;
      }
      // The queue is empty: wait for a stored batch, then `settleMs`, and while ingestion is busy
      // at least the rest that keeps folds to `keepUpShare`.
      const endedAt = clock();
      await pause(t.pollMs, true);
      if (notified) await pause(Math.max(t.settleMs, busy() ? endedAt + restMs - clock() : 0), false);
    }
  };

  const running = loop();
  let stopping: Promise<void> | undefined;

  return {
    notify: () => {
      stored++;
      lastStored = clock();
      notified = true;
      wake?.();
    },
    ingesting: (delta) => {
      settleInFlight();
      inFlight = Math.max(0, inFlight + delta);
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
