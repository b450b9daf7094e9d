import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANALYTICS_WORKER_TIMINGS_BY_ENGINE, DEFAULT_ANALYTICS_WORKER_TIMINGS, startAnalyticsWorker } from '../../server';
import type { AnalyticsLease, AnalyticsWorker, AnalyticsWorkerTimings, FoldResult } from '../../server';

/**
 * A store whose queue is a number of batches. A fold takes `msPerBatch` of the worker's clock
 * per batch (the clock is the fake `Date.now()` plus the time folds took), so that the worker's
 * pacing can be checked against the time its folds cost.
 */
function fakeStore(options: { pending?: number; msPerBatch?: number; onDatabase?: boolean } = {}) {
  const msPerBatch = options.msPerBatch ?? 0.5;
  let spent = 0;
  const folds: { at: number; took: number; asked: number; folded: number }[] = [];
  const state = {
    pending: options.pending ?? 0,
    failNext: 0,
    leaseAnswers: [] as boolean[],
    leaseAsks: 0,
    releases: 0,
    lose: () => undefined as void,
  };
  const clock = () => Date.now() + spent;
  const store = {
    advanceAnalytics: async ({ maxBatches = 200 }: { maxBatches?: number } = {}): Promise<FoldResult> => {
      if (state.failNext > 0) {
        state.failNext--;
        throw new Error('the database went away');
      }
      const at = clock();
      const folded = Math.min(maxBatches, state.pending);
      state.pending -= folded;
      // `onDatabase` (PostgreSQL): the fold's time passes after the call returned, not holding the loop.
      if (options.onDatabase) await Promise.resolve();
      spent += folded * msPerBatch;
      folds.push({ at, took: folded * msPerBatch, asked: maxBatches, folded });
      return { batches: folded, events: folded * 10, more: state.pending > 0 };
    },
    acquireAnalyticsLease: async (): Promise<AnalyticsLease | null> => {
      state.leaseAsks++;
      if (state.leaseAnswers.length > 0 && state.leaseAnswers.shift() === false) return null;
      let lose: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => {
        lose = resolve;
      });
      state.lose = () => lose();
      return { lost, release: async () => void state.releases++ };
    },
  };
  return { store, clock, folds, state };
}

const logger = { info: () => undefined, warn: () => undefined };
const T = DEFAULT_ANALYTICS_WORKER_TIMINGS;

describe('the analytics worker’s schedule', () => {
  let worker: AnalyticsWorker | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    const stopping = worker?.stop();
    await vi.runOnlyPendingTimersAsync();
    await stopping;
    worker = undefined;
    vi.useRealTimers();
  });

  it('folds the batches stored in one moment together, settleMs after the first', async () => {
    const { store, clock, folds, state } = fakeStore();
    worker = startAnalyticsWorker({ store, logger, clock });
    await vi.advanceTimersByTimeAsync(T.pollMs * 2);
    const idleFolds = folds.length;
    state.pending = 1;
    worker.notify();
    await vi.advanceTimersByTimeAsync(T.settleMs / 2);
    state.pending = 3;
    worker.notify();
    expect(folds.filter((f) => f.folded > 0)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(T.settleMs / 2 + 1);
    expect(folds.slice(idleFolds).filter((f) => f.folded > 0).map((f) => f.folded)).toEqual([3]);
    expect(worker.status()).toEqual({ leader: true });
  });

  /**
   * Folds of a queue that never empties while batches keep arriving, with requests taking
   * `requests` of the event loop (folds take the rest they are given): their share of the time
   * and their longest fold.
   */
  async function busyFolds(
    requests: number,
    inFlight = 0,
    timings: Partial<AnalyticsWorkerTimings> = {},
    window: [fromMs: number, toMs: number] = [3000, Infinity],
    storedPer10Ms = 1,
  ): Promise<{ share: number; longest: number; pending: number }> {
    const { store, clock, folds, state } = fakeStore({ pending: 100_000, msPerBatch: 0.5 });
    let lookedAt = Date.now();
    let seenFolds = 0;
    const loopUtilization = () => {
      const window = clock() - lookedAt;
      const folded = folds.slice(seenFolds).reduce((sum, f) => sum + f.took, 0);
      seenFolds = folds.length;
      lookedAt = clock();
      return window > 0 ? Math.min(1, requests + folded / window) : requests;
    };
    worker = startAnalyticsWorker({ store, logger, clock, loopUtilization, timings });
    for (let i = 0; i < inFlight; i++) worker.ingesting(1);
    for (let t = 0; t < 6000; t += 10) {
      for (let i = 0; i < storedPer10Ms; i++) worker.notify();
      await vi.advanceTimersByTimeAsync(10);
    }
    // By default after the smoothing has settled.
    const late = folds.filter((f) => f.at - (folds[0]?.at ?? 0) > window[0] && f.at - (folds[0]?.at ?? 0) < window[1]);
    const first = late[0]?.at ?? 0;
    const last = late.at(-1);
    const took = late.reduce((sum, f) => sum + f.took, 0);
    return { share: took / ((last?.at ?? 0) + (last?.took ?? 0) - first), longest: Math.max(...late.map((f) => f.took)), pending: state.pending };
  }

  it('while ingestion fills the event loop, takes busyShare of the time, in folds of about busyFoldMs', async () => {
    const { share, longest, pending } = await busyFolds(0.98);
    expect(share).toBeGreaterThan(T.busyShare - 0.02);
    expect(share).toBeLessThanOrEqual(T.busyShare + 0.02);
    expect(longest).toBeLessThanOrEqual(T.busyFoldMs);
    expect(pending).toBeGreaterThan(0);
  });

  it('with room left on the event loop, takes that room, up to targetUtilization', async () => {
    const { share } = await busyFolds(0.4);
    expect(share).toBeGreaterThan(T.targetUtilization - 0.4 - 0.08);
    expect(share).toBeLessThanOrEqual(Math.min(T.spareShare, T.targetUtilization - 0.4) + 0.05);
  });

  it('while ingestion requests pile up (saturatedInFlight), takes busyShare whatever the loop shows', async () => {
    const { share } = await busyFolds(0.2, T.saturatedInFlight);
    expect(share).toBeLessThanOrEqual(T.busyShare + 0.02);
  });

  it('with PostgreSQL’s timings, takes busyShare of the time while it catches up, and lateShare once behind for lateAfterMs with the backlog growing', async () => {
    const postgres = ANALYTICS_WORKER_TIMINGS_BY_ENGINE.postgres;
    expect(postgres.lateShare).toBeLessThan(postgres.busyShare ?? 1);
    // 1,000 batches stored a second, folds of 0.5 ms a batch at 20 % fold 400: the backlog grows.
    const catchingUp = await busyFolds(0.2, 0, postgres, [0, T.lateAfterMs - 100], 10);
    expect(catchingUp.share).toBeGreaterThan((postgres.busyShare ?? 0) - 0.02);
    expect(catchingUp.share).toBeLessThanOrEqual((postgres.busyShare ?? 0) + 0.02);
    await worker?.stop();
    worker = undefined;
    const late = await busyFolds(0.2, 0, postgres, [T.lateAfterMs + 500, Infinity], 10);
    expect(late.share).toBeGreaterThan((postgres.lateShare ?? 0) - 0.01);
    expect(late.share).toBeLessThanOrEqual((postgres.lateShare ?? 0) + 0.01);
  });

  it('with PostgreSQL’s timings, keeps busyShare while a backlog shrinks, however long it takes', async () => {
    const postgres = ANALYTICS_WORKER_TIMINGS_BY_ENGINE.postgres;
    // 100 batches stored a second against 400 folded: a catch-up, not a saturating load.
    const { share, pending } = await busyFolds(0.2, 0, postgres, [T.lateAfterMs + 500, Infinity], 1);
    expect(share).toBeGreaterThan((postgres.busyShare ?? 0) - 0.02);
    expect(pending).toBeGreaterThan(0);
  });

  it('while ingestion is busy, keeps to keepUpShare (PostgreSQL’s) even when every fold empties the queue', async () => {
    const postgres = ANALYTICS_WORKER_TIMINGS_BY_ENGINE.postgres;
    const share = postgres.keepUpShare ?? 1;
    expect(share).toBeLessThan(1);
    // 40 ms per batch: a fold of the batches stored since the last takes far longer than settleMs.
    const { store, clock, folds, state } = fakeStore({ msPerBatch: 40, onDatabase: true });
    worker = startAnalyticsWorker({ store, logger, clock, timings: postgres });
    for (let t = 0; t < 6000; t += 10) {
      if (t % 100 === 0) state.pending += 1;
      worker.notify();
      await vi.advanceTimersByTimeAsync(10);
    }
    const folding = folds.filter((f) => f.folded > 0);
    expect(folding.length).toBeGreaterThan(3);
    expect(folding.every((f) => f.folded < f.asked)).toBe(true);
    const first = folding[0] as (typeof folding)[number];
    const last = folding.at(-1) as (typeof folding)[number];
    const took = folding.slice(0, -1).reduce((sum, f) => sum + f.took, 0);
    expect(took / (last.at - first.at)).toBeLessThanOrEqual(share + 0.02);
    expect(took / (last.at - first.at)).toBeGreaterThan(share - 0.05);
  });

  it('when ingestion pauses, folds back to back until the queue is empty', async () => {
    const { store, clock, folds, state } = fakeStore({ pending: 3000, msPerBatch: 0.01 });
    worker = startAnalyticsWorker({ store, logger, clock });
    // Each fold yields to the event loop (a fake setImmediate, run as the fake clock moves by
    // 1 ms), never to a timer.
    for (let i = 0; i < 30; i++) await vi.advanceTimersByTimeAsync(1);
    expect(state.pending).toBe(0);
    expect(folds.map((f) => f.asked)).toEqual(Array.from({ length: 6 }, () => T.maxBatches));
    const gaps = folds.slice(1).map((f, i) => f.at - ((folds[i]?.at ?? 0) + (folds[i]?.took ?? 0)));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1);
  });

  it('as a standby, asks for the lease every leaseRetryMs and folds only once it holds it; after losing it, stops folding until it holds it again', async () => {
    const { store, clock, folds, state } = fakeStore({ pending: 5 });
    state.leaseAnswers = [false, false];
    worker = startAnalyticsWorker({ store, logger, clock });
    await vi.advanceTimersByTimeAsync(T.leaseRetryMs * 2 - 1);
    expect(state.leaseAsks).toBe(2);
    expect(folds).toHaveLength(0);
    expect(worker.status()).toEqual({ leader: false });
    await vi.advanceTimersByTimeAsync(2);
    expect(state.leaseAsks).toBe(3);
    expect(worker.status()).toEqual({ leader: true });
    expect(state.pending).toBe(0);

    state.leaseAnswers = [false];
    state.lose();
    await vi.advanceTimersByTimeAsync(T.pollMs + 1);
    const before = folds.length;
    state.pending = 4;
    worker.notify();
    await vi.advanceTimersByTimeAsync(T.leaseRetryMs - T.pollMs);
    expect(worker.status()).toEqual({ leader: false });
    expect(folds.length).toBe(before);
    await vi.advanceTimersByTimeAsync(T.leaseRetryMs + T.settleMs + T.pollMs);
    expect(worker.status()).toEqual({ leader: true });
    expect(state.pending).toBe(0);
  });

  it('retries a failed fold after retryMs, and a stop gives the lease back', async () => {
    const { store, clock, state } = fakeStore({ pending: 2 });
    state.failNext = 1;
    worker = startAnalyticsWorker({ store, logger, clock });
    await vi.advanceTimersByTimeAsync(T.retryMs - 1);
    expect(state.pending).toBe(2);
    await vi.advanceTimersByTimeAsync(2);
    expect(state.pending).toBe(0);
    const stopping = worker.stop();
    await vi.runOnlyPendingTimersAsync();
    await stopping;
    expect(state.releases).toBe(1);
    expect(worker.status()).toEqual({ leader: false });
  });
});
