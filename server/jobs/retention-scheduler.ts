import type { RetentionConfig } from '../config';
import type { AnalyticsReader, RetentionPolicy, RetentionResult } from '../analytics/types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Hour of the day (UTC) the retention job runs. */
export const RETENTION_HOUR_UTC = 2;

/** The timer functions the scheduler uses; swappable so tests can drive them. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of a pino/fastify logger the scheduler writes to. */
export interface RetentionLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Options of {@link createRetentionScheduler}. */
export interface RetentionSchedulerOptions {
  store: Pick<AnalyticsReader, 'applyRetention'>;
  policy: RetentionPolicy;
  /** The clock (ms since the epoch). */
  now: () => number;
  logger: RetentionLogger;
  /**
   * Timers; the default ones are `unref`'d so a pending run never keeps the process alive.
   * @default globalThis.setTimeout / clearTimeout, read at call time
   */
  timers?: SchedulerTimers;
  /**
   * Hour of the day (UTC) of the daily run.
   * @default 2
   */
  hourUtc?: number;
}

/** A daily retention job; {@link createRetentionScheduler} starts it. */
export interface RetentionScheduler {
  /**
   * Runs now, unless a run is already going, in which case that run's promise is returned:
   * runs never overlap. Resolves with what was deleted, or `null` when the run failed (the
   * error is logged) or the scheduler is stopped.
   */
  runNow(): Promise<RetentionResult | null>;
  /** When the next scheduled run is due (ms since the epoch); `null` once stopped. */
  readonly nextRunAt: number | null;
  /** True while a run is going. */
  readonly running: boolean;
  /** Cancels the timer; resolves once a run in progress (if any) has ended. Idempotent. */
  stop(): Promise<void>;
}

/** The retention policy of a configuration: days to ms, chunk sizes as they are. */
export function toRetentionPolicy(retention: RetentionConfig): RetentionPolicy {
  return {
    eventsMs: retention.eventsDays * DAY_MS,
    sessionsMs: retention.sessionsDays * DAY_MS,
    eventChunk: retention.eventChunk,
    sessionChunk: retention.sessionChunk,
  };
}

/** The first `hourUtc`:00 UTC strictly after `after` (ms since the epoch). */
export function nextRetentionRunAt(after: number, hourUtc = RETENTION_HOUR_UTC): number {
  const day = new Date(after);
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc);
  return today > after ? today : today + DAY_MS;
}

const defaultTimers: SchedulerTimers = {
  setTimeout(callback, ms) {
    const handle: unknown = globalThis.setTimeout(callback, ms);
    // Node gives a Timeout with unref(); other runtimes a number.
    if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};

/**
 * Starts the daily retention job.
 *
 * 1. The delay to the next `hourUtc`:00 UTC is computed from `now()`, and again after each
 *    run, so a clock that jumped is caught up with the next day.
 * 2. When the timer fires, the next run is scheduled first, then the store's `applyRetention`
 *    runs (chunked deletes, progress logged). If the previous run is still going, this one is
 *    skipped with a log line: runs never overlap.
 * 3. A failed run is logged, never thrown; the next day's run tries again.
 * 4. `stop()` cancels the timer and waits for a run in progress.
 */
export function createRetentionScheduler(options: RetentionSchedulerOptions): RetentionScheduler {
  const { store, policy, logger } = options;
  const timers = options.timers ?? defaultTimers;
  const hourUtc = options.hourUtc ?? RETENTION_HOUR_UTC;
  let timer: unknown = null;
  let nextRunAt: number | null = null;
  let current: Promise<RetentionResult | null> | null = null;
  let stopped = false;

  const run = (): Promise<RetentionResult | null> => {
    const startedAt = options.now();
    logger.info(
      {
        eventsOlderThan: new Date(startedAt - policy.eventsMs).toISOString(),
        sessionsOlderThan: new Date(startedAt - policy.sessionsMs).toISOString(),
      },
      'retention run started',
    );
    const onProgress = (progress: { table: string; deletedSoFar: number }) => logger.info(progress, 'retention progress');
    return (async () => {
      try {
        const result = await store.applyRetention(policy, startedAt, onProgress);
        logger.info(result, 'retention run finished');
        return result;
      } catch (error) {
        logger.error({ err: error }, 'retention run failed');
        return null;
      }
    })();
  };

  const runNow = (): Promise<RetentionResult | null> => {
    if (current !== null) return current;
    if (stopped) return Promise.resolve(null);
    const started = run();
    current = started;
    void started.finally(() => {
      if (current === started) current = null;
    });
    return started;
  };

  const schedule = (after: number): void => {
    if (stopped) return;
    const at = nextRetentionRunAt(after, hourUtc);
    nextRunAt = at;
    timer = timers.setTimeout(
      () => {
        timer = null;
        // Never before the time aimed at, even if the timer fired a little early.
        schedule(Math.max(options.now(), at));
        if (current !== null) {
          logger.info({ nextRunAt: new Date(nextRunAt ?? at).toISOString() }, 'retention run skipped: the previous run is still going');
          return;
        }
        void runNow();
      },
      Math.max(0, at - options.now()),
    );
  };

  schedule(options.now());
  logger.info({ nextRunAt: new Date(nextRunAt ?? 0).toISOString() }, 'retention scheduled');

  return {
    runNow,
    get nextRunAt() {
      return nextRunAt;
    },
    get running() {
      return current !== null;
    },
    async stop() {
      stopped = true;
      nextRunAt = null;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (current !== null) await current;
    },
  };
}
