import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startDeadline } from '../../../lib/embed/queue/deadline';

describe('startDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('aborts the signal when the time runs out, not before', async () => {
    const [signal] = startDeadline(1000, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(999);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signal.aborted).toBe(true);
  });

  test('aborts the signal at once when the stop signal aborts', () => {
    const stop = new AbortController();
    const [signal] = startDeadline(1000, stop.signal);
    stop.abort();
    expect(signal.aborted).toBe(true);
  });

  test('after release, neither the time nor the stop signal aborts it, and no timer is left', async () => {
    const stop = new AbortController();
    const [signal, release] = startDeadline(1000, stop.signal);
    release();
    expect(vi.getTimerCount()).toBe(0);
    stop.abort();
    await vi.advanceTimersByTimeAsync(5000);
    expect(signal.aborted).toBe(false);
  });
});
