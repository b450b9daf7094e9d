import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRetentionScheduler, nextRetentionRunAt, startCollector, toRetentionPolicy } from '../../server';
import type { AnalyticsReader, RetentionPolicy, RetentionResult, SchedulerTimers } from '../../server';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const POLICY: RetentionPolicy = { eventsMs: 90 * DAY, sessionsMs: 365 * DAY, eventChunk: 10_000, sessionChunk: 5000 };
const RESULT: RetentionResult = { deletedEvents: 3, deletedSessions: 1, deletedVisitorRows: 2, deletedConversations: 1, deletedMessages: 4, tookMs: 5 };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const logger = () => ({ info: vi.fn(), error: vi.fn() });

describe('nextRetentionRunAt', () => {
  it.each([
    ['before 02:00: today at 02:00', Date.UTC(2025, 0, 10, 1, 0), Date.UTC(2025, 0, 10, 2)],
    ['at midnight: today at 02:00', Date.UTC(2025, 0, 10), Date.UTC(2025, 0, 10, 2)],
    ['one ms before 02:00: one ms later', Date.UTC(2025, 0, 10, 2) - 1, Date.UTC(2025, 0, 10, 2)],
    ['exactly 02:00: tomorrow at 02:00', Date.UTC(2025, 0, 10, 2), Date.UTC(2025, 0, 11, 2)],
    ['after 02:00: tomorrow at 02:00', Date.UTC(2025, 0, 10, 2, 0, 0, 1), Date.UTC(2025, 0, 11, 2)],
    ['late evening: tomorrow at 02:00', Date.UTC(2025, 0, 10, 23, 59), Date.UTC(2025, 0, 11, 2)],
    ['on New Year’s Eve: the next year', Date.UTC(2024, 11, 31, 13), Date.UTC(2025, 0, 1, 2)],
    ['on 28 February of a leap year: 29 February', Date.UTC(2024, 1, 28, 3), Date.UTC(2024, 1, 29, 2)],
  ])('%s', (_case, now, expected) => {
    expect(nextRetentionRunAt(now)).toBe(expected);
  });
});

describe('toRetentionPolicy', () => {
  it('turns days into ms and keeps the chunk sizes', () => {
    expect(toRetentionPolicy({ eventsDays: 90, sessionsDays: 365, eventChunk: 10_000, sessionChunk: 5000, schedule: true })).toEqual(POLICY);
  });
});

describe('createRetentionScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const start = (applyRetention: AnalyticsReader['applyRetention'], log = logger()) =>
    createRetentionScheduler({ store: { applyRetention }, policy: POLICY, now: () => Date.now(), logger: log });

  it('runs first at the next 02:00 UTC when started before 02:00, then every 24 hours', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 1, 0));
    const applyRetention = vi.fn(async () => RESULT);
    const scheduler = start(applyRetention);
    expect(scheduler.nextRunAt).toBe(Date.UTC(2025, 0, 10, 2));
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(applyRetention).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(applyRetention).toHaveBeenCalledTimes(1);
    expect(applyRetention).toHaveBeenCalledWith(POLICY, Date.UTC(2025, 0, 10, 2), expect.any(Function));
    expect(scheduler.nextRunAt).toBe(Date.UTC(2025, 0, 11, 2));
    await vi.advanceTimersByTimeAsync(DAY);
    expect(applyRetention).toHaveBeenCalledTimes(2);
    expect(applyRetention).toHaveBeenLastCalledWith(POLICY, Date.UTC(2025, 0, 11, 2), expect.any(Function));
    await scheduler.stop();
  });

  it('waits until tomorrow 02:00 UTC when started after 02:00', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 3, 0));
    const applyRetention = vi.fn(async () => RESULT);
    const scheduler = start(applyRetention);
    expect(scheduler.nextRunAt).toBe(Date.UTC(2025, 0, 11, 2));
    await vi.advanceTimersByTimeAsync(23 * HOUR - 1);
    expect(applyRetention).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(applyRetention).toHaveBeenCalledTimes(1);
    await scheduler.stop();
  });

  it('logs the start, each progress line and the result', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 1, 59));
    const log = logger();
    const applyRetention = vi.fn<AnalyticsReader['applyRetention']>(async (_policy, _now, onProgress) => {
      onProgress?.({ table: 'events', deletedSoFar: 10_000 });
      onProgress?.({ table: 'sessions', deletedSoFar: 5 });
      return RESULT;
    });
    const scheduler = start(applyRetention, log);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ eventsOlderThan: '2024-10-12T02:00:00.000Z' }), 'retention run started');
    expect(log.info).toHaveBeenCalledWith({ table: 'events', deletedSoFar: 10_000 }, 'retention progress');
    expect(log.info).toHaveBeenCalledWith({ table: 'sessions', deletedSoFar: 5 }, 'retention progress');
    expect(log.info).toHaveBeenCalledWith(RESULT, 'retention run finished');
    await scheduler.stop();
  });

  it('logs a failed run instead of throwing, and runs again the next day', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 1, 0));
    const log = logger();
    const failure = new Error('database is locked');
    const applyRetention = vi.fn<AnalyticsReader['applyRetention']>().mockRejectedValueOnce(failure).mockResolvedValue(RESULT);
    const scheduler = start(applyRetention, log);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(log.error).toHaveBeenCalledWith({ err: failure }, 'retention run failed');
    await vi.advanceTimersByTimeAsync(DAY);
    expect(applyRetention).toHaveBeenCalledTimes(2);
    expect(log.info).toHaveBeenCalledWith(RESULT, 'retention run finished');
    await scheduler.stop();
  });

  it('never overlaps: a manual run during a run joins it, a scheduled one during a run is skipped', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 1, 0));
    const log = logger();
    const slow = deferred<RetentionResult>();
    const applyRetention = vi.fn<AnalyticsReader['applyRetention']>().mockReturnValueOnce(slow.promise).mockResolvedValue(RESULT);
    const scheduler = start(applyRetention, log);
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    expect(scheduler.running).toBe(true);
    await vi.advanceTimersByTimeAsync(HOUR); // 02:00 passes while the manual run goes on
    expect(applyRetention).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith(expect.anything(), 'retention run skipped: the previous run is still going');
    expect(scheduler.nextRunAt).toBe(Date.UTC(2025, 0, 11, 2));
    slow.resolve(RESULT);
    await expect(first).resolves.toEqual(RESULT);
    expect(scheduler.running).toBe(false);
    await expect(scheduler.runNow()).resolves.toEqual(RESULT);
    expect(applyRetention).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });

  it('stops: no timer left, no later run, and stop() waits for the run in progress', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 10, 1, 0));
    const slow = deferred<RetentionResult>();
    const applyRetention = vi.fn<AnalyticsReader['applyRetention']>().mockReturnValueOnce(slow.promise).mockResolvedValue(RESULT);
    const scheduler = start(applyRetention);
    expect(vi.getTimerCount()).toBe(1);
    void scheduler.runNow();
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.nextRunAt).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    slow.resolve(RESULT);
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(applyRetention).toHaveBeenCalledTimes(1);
    await expect(scheduler.runNow()).resolves.toBeNull();
    expect(applyRetention).toHaveBeenCalledTimes(1);
  });
});

describe('the retention job inside the collector', () => {
  /** Timers that only record what was asked of them. */
  function recordingTimers() {
    const pending = new Map<number, { ms: number; callback: () => void }>();
    let next = 0;
    const timers: SchedulerTimers = {
      setTimeout(callback, ms) {
        next += 1;
        pending.set(next, { ms, callback });
        return next;
      },
      clearTimeout(handle) {
        pending.delete(handle as number);
      },
    };
    return { timers, pending };
  }

  it('is scheduled for the next 02:00 UTC by the collector clock and stopped by close()', async () => {
    const { timers, pending } = recordingTimers();
    const collector = await startCollector(
      { port: 0, databaseUrl: ':memory:', logLevel: 'silent', now: () => Date.UTC(2025, 0, 10, 3, 30) },
      { timers },
    );
    expect([...pending.values()].map((timer) => timer.ms)).toEqual([22.5 * HOUR]);
    expect(collector.retention?.nextRunAt).toBe(Date.UTC(2025, 0, 11, 2));
    await collector.close();
    expect(pending.size).toBe(0);
    expect(collector.retention?.nextRunAt).toBeNull();
  });

  it('runs against the real store and deletes nothing from an empty one', async () => {
    const { timers, pending } = recordingTimers();
    const collector = await startCollector({ port: 0, databaseUrl: ':memory:', logLevel: 'silent' }, { timers });
    try {
      [...pending.values()][0]?.callback();
      expect(collector.retention?.running).toBe(true);
      await expect(collector.retention?.runNow()).resolves.toMatchObject({ deletedEvents: 0, deletedSessions: 0 });
    } finally {
      await collector.close();
    }
  });

  it('is not scheduled when retention.schedule is off', async () => {
    const { timers, pending } = recordingTimers();
    const collector = await startCollector({ port: 0, databaseUrl: ':memory:', logLevel: 'silent', retention: { schedule: false } }, { timers });
    expect(collector.retention).toBeNull();
    expect(pending.size).toBe(0);
    await collector.close();
  });
});
