import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConnectionState } from '../../../../lib/chat-widget/connection-monitor';
import { DEFAULT_ENHANCED_STORAGE_CONFIG } from '../../../../lib/chat-widget/parent-storage-enhanced/config';
import { HostWriter } from '../../../../lib/chat-widget/parent-storage-enhanced/host-writer';
import type { Write } from '../../../../lib/chat-widget/parent-storage-enhanced/write-queue';
import { ErrorCode, FramewireError } from '../../../../lib/protocol/errors';
import { createLogger } from '../../../../lib/util/logger';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

let seq = 0;
const write = (key: string, value: string | null = 'v'): Write => ({ id: ++seq, key, value });

function writer(answer: (method: string, key: string) => Promise<unknown>, options: { state?: ConnectionState; monitor?: boolean } = {}) {
  let state: ConnectionState = options.state ?? 'connected';
  const callWithTimeout = vi.fn((_timeout: number, method: string, key: string) => answer(method, key));
  const settled: [string, string][] = [];
  const dropped: string[] = [];
  const hostWriter = new HostWriter({
    config: { ...DEFAULT_ENHANCED_STORAGE_CONFIG, maxQueueSize: 2 },
    log: createLogger('HostWriter', false),
    bridge: () => ({ callWithTimeout }) as never,
    state: () => state,
    hasMonitor: () => options.monitor ?? false,
    checkConnection: () => undefined,
    signal: () => new AbortController().signal,
    onSettled: (w, outcome) => settled.push([w.key, outcome]),
    onDropped: (w) => dropped.push(w.key),
  });
  return { hostWriter, callWithTimeout, settled, dropped, setState: (next: ConnectionState) => (state = next) };
}

describe('HostWriter', () => {
  test('sends the queue in order, one call at a time, and settles each write', async () => {
    const { hostWriter, callWithTimeout, settled } = writer(() => new Promise((resolve) => setTimeout(resolve, 10)));
    hostWriter.enqueue(write('a'));
    hostWriter.enqueue(write('b', null));
    void hostWriter.pump();
    void hostWriter.pump();
    expect(callWithTimeout).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(callWithTimeout.mock.calls.map((call) => call.slice(1, 3))).toEqual([
      ['setItem', 'a'],
      ['removeItem', 'b'],
    ]);
    expect(settled).toEqual([
      ['a', 'sent'],
      ['b', 'sent'],
    ]);
    expect(hostWriter.size).toBe(0);
  });

  test('a refused write is settled as refused and the next one goes', async () => {
    const { hostWriter, settled } = writer((_method, key) =>
      key === 'big' ? Promise.reject(new FramewireError(ErrorCode.QUOTA_EXCEEDED, 'too big')) : Promise.resolve(undefined),
    );
    hostWriter.enqueue(write('big'));
    hostWriter.enqueue(write('small'));
    await hostWriter.pump();
    expect(settled).toEqual([
      ['big', 'refused'],
      ['small', 'sent'],
    ]);
  });

  test('nothing is sent while not connected; a full queue drops the oldest and says so', async () => {
    const { hostWriter, callWithTimeout, dropped } = writer(() => Promise.resolve(undefined), { state: 'disconnected' });
    hostWriter.enqueue(write('a'));
    hostWriter.enqueue(write('b'));
    hostWriter.enqueue(write('c'));
    await hostWriter.pump();
    expect(callWithTimeout).not.toHaveBeenCalled();
    expect(dropped).toEqual(['a']);
    expect(hostWriter.dropped).toBe(1);
    expect(hostWriter.size).toBe(2);
  });

  test('without a monitor, an unreachable host is tried again after maxDelay', async () => {
    let reachable = false;
    const { hostWriter, settled } = writer(() =>
      reachable ? Promise.resolve(undefined) : Promise.reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'no answer')),
    );
    hostWriter.enqueue(write('a'));
    void hostWriter.pump();
    // Three tries, 100 and 200 ms apart: unreachable after 300 ms.
    await vi.advanceTimersByTimeAsync(300);
    expect(settled).toEqual([]);
    expect(hostWriter.size).toBe(1);
    reachable = true;
    await vi.advanceTimersByTimeAsync(DEFAULT_ENHANCED_STORAGE_CONFIG.maxDelay);
    expect(settled).toEqual([['a', 'sent']]);
    hostWriter.destroy();
  });

  test('sendAllNow sends every queued write at once, fire and forget; destroy empties the queue', () => {
    const { hostWriter, callWithTimeout } = writer(() => new Promise(() => undefined), { state: 'disconnected' });
    hostWriter.enqueue(write('a'));
    hostWriter.enqueue(write('b'));
    hostWriter.sendAllNow();
    expect(callWithTimeout.mock.calls.map((call) => call[2])).toEqual(['a', 'b']);
    hostWriter.destroy();
    expect(hostWriter.size).toBe(0);
  });
});
