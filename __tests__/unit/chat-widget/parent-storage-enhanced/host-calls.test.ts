import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { callWithRetries, isConnectionError, sendWrite } from '../../../../lib/chat-widget/parent-storage-enhanced/host-calls';
import { ErrorCode, FramewireError } from '../../../../lib/protocol/errors';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const config = { maxAttempts: 3, initialDelay: 100, maxDelay: 2000, backoffMultiplier: 2 };
const timeout = () => new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'no answer');

describe('isConnectionError', () => {
  test('a timeout, a destroyed connection or a non-framewire error is the host not answering; a refusal is not', () => {
    expect(isConnectionError(timeout())).toBe(true);
    expect(isConnectionError(new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'gone'))).toBe(true);
    expect(isConnectionError(new Error('port closed'))).toBe(true);
    expect(isConnectionError(new FramewireError(ErrorCode.QUOTA_EXCEEDED, 'full'))).toBe(false);
  });
});

describe('sendWrite', () => {
  test('a value is sent with setItem, null with removeItem', async () => {
    const callWithTimeout = vi.fn(async () => undefined);
    const bridge = { callWithTimeout } as never;
    await sendWrite(bridge, 2000, { id: 1, key: 'open', value: 'true' });
    await sendWrite(bridge, 2000, { id: 2, key: 'open', value: null });
    expect(callWithTimeout.mock.calls).toEqual([
      [2000, 'setItem', 'open', 'true'],
      [2000, 'removeItem', 'open'],
    ]);
  });
});

describe('callWithRetries', () => {
  test('a host that does not answer is tried maxAttempts times, waiting 100 then 200 ms, then unreachable', async () => {
    const call = vi.fn(() => Promise.reject(timeout()));
    const onUnanswered = vi.fn();
    const result = callWithRetries(call, { config, signal: new AbortController().signal, onUnanswered, canRetry: () => true });
    await vi.advanceTimersByTimeAsync(99);
    expect(call).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(call).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toEqual({ outcome: 'unreachable' });
    expect(call).toHaveBeenCalledTimes(3);
    expect(onUnanswered).toHaveBeenCalledTimes(3);
  });

  test('answers as soon as a try succeeds', async () => {
    const call = vi.fn().mockRejectedValueOnce(timeout()).mockResolvedValueOnce('value');
    const result = callWithRetries(call, { config, signal: new AbortController().signal, canRetry: () => true });
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toEqual({ outcome: 'answered', value: 'value' });
  });

  test('a refusal ends the tries at once', async () => {
    const refusal = new FramewireError(ErrorCode.QUOTA_EXCEEDED, 'full');
    const call = vi.fn(() => Promise.reject(refusal));
    const onError = vi.fn();
    await expect(callWithRetries(call, { config, signal: new AbortController().signal, onError, canRetry: () => true })).resolves.toEqual({
      outcome: 'refused',
      error: refusal,
    });
    expect(call).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(refusal, 0);
  });

  test('no retry when canRetry says no, and none after the signal aborts the wait', async () => {
    const call = vi.fn(() => Promise.reject(timeout()));
    await expect(callWithRetries(call, { config, signal: new AbortController().signal, canRetry: () => false })).resolves.toEqual({ outcome: 'unreachable' });
    expect(call).toHaveBeenCalledTimes(1);

    const waits = new AbortController();
    const aborted = vi.fn(() => Promise.reject(timeout()));
    const result = callWithRetries(aborted, { config, signal: waits.signal, canRetry: () => true });
    await vi.advanceTimersByTimeAsync(10);
    waits.abort();
    await expect(result).resolves.toEqual({ outcome: 'unreachable' });
    expect(aborted).toHaveBeenCalledTimes(1);
  });
});
