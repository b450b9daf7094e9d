import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConnectionMonitor } from '../../../../lib/chat-widget/connection-monitor/monitor';
import type { ConnectionState } from '../../../../lib/chat-widget/connection-monitor/types';
import { ErrorCode, FramewireError } from '../../../../lib/protocol/errors';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A host that answers pings after `latency` ms while `answering`, else times out after the ping's timeout. */
function host(latency = 20) {
  let answering = true;
  const callWithTimeout = vi.fn(
    (timeoutMs: number) =>
      new Promise<number>((resolve, reject) => {
        if (answering) setTimeout(() => resolve(Date.now()), latency);
        else setTimeout(() => reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'no pong')), timeoutMs);
      }),
  );
  return { pinger: { callWithTimeout }, callWithTimeout, setAnswering: (value: boolean) => (answering = value) };
}

describe('ConnectionMonitor', () => {
  test('connected at the first pong, then one ping every heartbeatInterval; the stats count pings and latency', async () => {
    const { pinger, callWithTimeout } = host(20);
    const monitor = new ConnectionMonitor({ pinger, target: null });
    const states: ConnectionState[] = [];
    monitor.addListener((state) => states.push(state));
    monitor.start();
    await vi.advanceTimersByTimeAsync(20);
    expect(states).toEqual(['connected']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(callWithTimeout).toHaveBeenCalledTimes(2);
    expect(monitor.getStats()).toMatchObject({ totalPings: 2, failedPings: 0, averageLatency: 20 });
    monitor.destroy();
  });

  test('a silent host is disconnected after heartbeatTimeout and the confirming probes, and connected again at its first answer', async () => {
    const { pinger, setAnswering } = host(10);
    const monitor = new ConnectionMonitor({ pinger, target: null });
    monitor.start();
    await vi.advanceTimersByTimeAsync(10);
    setAnswering(false);
    // The next ping goes 5000 ms after the pong and is allowed 2000 ms: still connected then.
    await vi.advanceTimersByTimeAsync(5000 + 2000 - 10);
    expect(monitor.getState()).toBe('connected');
    // Two confirming probes of 250 ms each (not 2000) make it disconnected.
    await vi.advanceTimersByTimeAsync(10 + 2 * 250 + 50);
    expect(monitor.getState()).toBe('disconnected');
    expect(monitor.getStats().failedPings).toBe(3);
    setAnswering(true);
    await vi.advanceTimersByTimeAsync(2000 + 10);
    expect(monitor.getState()).toBe('connected');
    monitor.destroy();
  });

  test('stop ends the heartbeat: no ping after it', async () => {
    const { pinger, callWithTimeout } = host(10);
    const monitor = new ConnectionMonitor({ pinger, target: null });
    monitor.start();
    await vi.advanceTimersByTimeAsync(10);
    monitor.stop();
    expect(monitor.isRunning()).toBe(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(callWithTimeout).toHaveBeenCalledTimes(1);
  });
});
