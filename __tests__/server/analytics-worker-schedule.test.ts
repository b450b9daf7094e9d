import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ANALYTICS_WORKER_TIMINGS, startAnalyticsWorker } from '../../server';
import type { AnalyticsLease, AnalyticsWorker, FoldResult } from '../../server';

/**
 * A store whose queue is a number of batches. A fold takes `msPerBatch` of the worker's clock
 * per batch (the clock is the fake `Date.now()` plus the time folds took), so that the worker's
 * pacing can be checked against the time its folds cost.
 */
function fakeStore(options: { pending?: number; msPerBatch?: number } = {}) {
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

  it('while batches keep arriving, takes at most busyShare of the time, in folds of about busyFoldMs', async () => {
    const { store, clock, folds, state } = fakeStore({ pending: 100_000, msPerBatch: 0.5 });
    worker = startAnalyticsWorker({ store, logger, clock });
    for (let t = 0; t < 3000; t += 10) {
      worker.notify();
      await vi.advanceTimersByTimeAsync(10);
    }
    const busy = folds.slice(2);
    expect(busy.length).toBeGreaterThan(20);
    const first = busy[0]?.at ?? 0;
    const last = busy.at(-1);
    const took = busy.reduce((sum, f) => sum + f.took, 0);
    expect(took / ((last?.at ?? 0) + (last?.took ?? 0) - first)).toBeLessThanOrEqual(T.busyShare + 0.02);
    expect(Math.max(...busy.map((f) => f.took))).toBeLessThanOrEqual(T.busyFoldMs);
    expect(state.pending).toBeGreaterThan(0);
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
