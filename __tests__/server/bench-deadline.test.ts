import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../support/deadline';

afterEach(() => {
  vi.useRealTimers();
});

describe('withDeadline (benchmarks waiting on browsers and processes)', () => {
  it('rejects naming what did not answer once the deadline passes, not before', async () => {
    vi.useFakeTimers();
    const outcome = withDeadline(new Promise(() => undefined), 1000, 'the widget').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ message: 'the widget: no answer within 1000 ms' });
  });

  it('passes an answer through and leaves no timer behind', async () => {
    vi.useFakeTimers();
    await expect(withDeadline(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('own')), 1000, 'x')).rejects.toThrow('own');
    expect(vi.getTimerCount()).toBe(0);
  });
});
