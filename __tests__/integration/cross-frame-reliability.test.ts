import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConnectionMonitor, connectionMonitor, DEFAULT_CONNECTION_MONITOR_CONFIG } from '../../lib/chat-widget/connection-monitor';
import type { ConnectionState } from '../../lib/chat-widget/connection-monitor';
import {
  DEFAULT_ENHANCED_STORAGE_CONFIG,
  EnhancedParentStorageAdapter,
  enhancedParentStorage,
} from '../../lib/chat-widget/parent-storage-enhanced';
import type { EnhancedParentStorageOptions } from '../../lib/chat-widget/parent-storage-enhanced';
import { ErrorCode, FramewireError } from '../../lib/protocol/errors';
import { createMemoryStorage } from '../../lib/util/memory-storage';
import { fakeMonitor, fakeTarget, mockHost } from './support';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function monitorOn(host: ReturnType<typeof mockHost>, options: ConstructorParameters<typeof ConnectionMonitor>[0] = {}) {
  const target = fakeTarget();
  const monitor = new ConnectionMonitor({ pinger: host.bridge, target, ...options });
  const states: ConnectionState[] = [];
  monitor.addListener((state) => states.push(state));
  return { monitor, target, states };
}

/** Starts a monitor and lets its first pong arrive. */
async function connected(host: ReturnType<typeof mockHost>, options: ConstructorParameters<typeof ConnectionMonitor>[0] = {}) {
  const made = monitorOn(host, options);
  made.monitor.start();
  await vi.advanceTimersByTimeAsync(10);
  expect(made.monitor.getState()).toBe('connected');
  return made;
}

describe('ConnectionMonitor', () => {
  test('has the documented defaults', () => {
    expect(DEFAULT_CONNECTION_MONITOR_CONFIG).toMatchObject({
      heartbeatInterval: 5000,
      heartbeatTimeout: 2000,
      maxFailedPings: 3,
      autoRecover: true,
      debug: false,
      latencySamples: 10,
    });
    expect(new ConnectionMonitor({ heartbeatInterval: undefined as unknown as number }).config.heartbeatInterval).toBe(5000);
  });

  test('starts connecting and becomes connected at the first pong, telling listeners state and stats', async () => {
    const host = mockHost();
    const { monitor } = monitorOn(host);
    const seen: unknown[] = [];
    monitor.addListener((state, stats) => seen.push([state, stats.totalPings]));
    expect(monitor.getState()).toBe('connecting');
    monitor.start();
    await vi.advanceTimersByTimeAsync(5);
    expect(seen).toEqual([['connected', 1]]);
    expect(host.callWithTimeout).toHaveBeenCalledWith(2000, 'ping', expect.any(Number));
  });

  test('pings every heartbeatInterval while the host answers', async () => {
    const host = mockHost();
    await connected(host);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(host.methods().filter((m) => m === 'ping')).toHaveLength(4);
  });

  test('a host that goes silent right after a pong is disconnected within 8 s, after maxFailedPings failures', async () => {
    const host = mockHost();
    const { monitor, states } = await connected(host);
    host.stall();
    const silentAt = Date.now();
    while (monitor.getState() !== 'disconnected') await vi.advanceTimersByTimeAsync(10);
    expect(Date.now() - silentAt).toBeLessThanOrEqual(8000);
    expect(monitor.getStats().failedPings).toBe(3);
    expect(states).toEqual(['connected', 'disconnected']);
  });

  test('a host main thread stalled for 1.5 s never flips the state, whatever the heartbeat phase', async () => {
    const host = mockHost();
    const { monitor, states } = await connected(host);
    for (let phase = 0; phase < 5000; phase += 125) {
      await vi.advanceTimersByTimeAsync(phase % 700);
      host.stall();
      await vi.advanceTimersByTimeAsync(1500);
      host.resume();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(states).toEqual(['connected']);
    expect(monitor.getState()).toBe('connected');
  });

  test('a bridge call that times out counts as a failed ping', async () => {
    const callWithTimeout = vi.fn().mockRejectedValue(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout'));
    const monitor = new ConnectionMonitor({ pinger: { callWithTimeout }, target: null });
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.getStats()).toMatchObject({ failedPings: 1, totalPings: 1 });
    monitor.destroy();
  });

  test('while disconnected it keeps probing and reports connected within one probe of the host answering', async () => {
    const host = mockHost();
    const { monitor } = await connected(host);
    host.stall();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(monitor.getState()).toBe('disconnected');
    const probesWhileDown = host.methods().length;
    await vi.advanceTimersByTimeAsync(4000);
    expect(host.methods().length).toBeGreaterThan(probesWhileDown);
    host.resume();
    await vi.advanceTimersByTimeAsync(1);
    expect(monitor.getState()).toBe('connected');
    expect(monitor.getStats().failedPings).toBe(0);
  });

  test('with autoRecover off it stops probing once disconnected; checkConnection recovers', async () => {
    const host = mockHost();
    const { monitor } = await connected(host, { autoRecover: false });
    host.stall();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getState()).toBe('disconnected');
    const calls = host.methods().length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(host.methods().length).toBe(calls);
    host.resume();
    monitor.checkConnection();
    await vi.advanceTimersByTimeAsync(5);
    expect(monitor.getState()).toBe('connected');
  });

  test.each(['visibilitychange', 'online', 'focus'])('%s probes at once', async (event) => {
    const host = mockHost();
    const { target } = await connected(host);
    const before = host.methods().length;
    target.fire(event);
    expect(host.methods().length).toBe(before + 1);
  });

  test('checkConnection probes at once, and not twice while a probe is in flight', async () => {
    const host = mockHost({ latency: 50 });
    const { monitor } = monitorOn(host);
    monitor.start();
    await vi.advanceTimersByTimeAsync(60);
    monitor.checkConnection();
    monitor.checkConnection();
    expect(host.methods()).toEqual(['ping', 'ping']);
  });

  test('a probe whose timer fired long after it was due (throttled tab) is not a failure', async () => {
    const host = mockHost();
    const { monitor } = await connected(host);
    host.stall();
    await vi.advanceTimersByTimeAsync(5000); // the next ping is sent, unanswered
    // The frame sleeps 10 s: the clock moves on, no timer runs meanwhile.
    vi.setSystemTime(Date.now() + 10_000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(monitor.getStats().failedPings).toBe(0);
    host.resume();
    await vi.advanceTimersByTimeAsync(5);
    expect(monitor.getState()).toBe('connected');
  });

  test('averageLatency is the mean of the last 10 pongs', async () => {
    const host = mockHost({ latency: 100 });
    const { monitor } = monitorOn(host, { heartbeatInterval: 1000 });
    monitor.start();
    for (let i = 0; i < 10; i++) await vi.advanceTimersByTimeAsync(1100);
    expect(monitor.getStats().averageLatency).toBe(100);
    host.setLatency(300);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1300);
    expect(monitor.getStats().averageLatency).toBeGreaterThan(100);
    expect(monitor.getStats().averageLatency).toBeLessThan(300);
    for (let i = 0; i < 10; i++) await vi.advanceTimersByTimeAsync(1300);
    expect(monitor.getStats().averageLatency).toBe(300);
  });

  test('addListener returns an unsubscribe', async () => {
    const host = mockHost();
    const { monitor } = monitorOn(host);
    const listener = vi.fn();
    const unsubscribe = monitor.addListener(listener);
    unsubscribe();
    monitor.start();
    await vi.advanceTimersByTimeAsync(5);
    expect(listener).not.toHaveBeenCalled();
  });

  test('stop and destroy leave no timer and no window listener', async () => {
    const host = mockHost();
    const { monitor, target } = await connected(host);
    expect(target.count()).toBe(3);
    monitor.stop();
    expect(target.count()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    monitor.start();
    await vi.advanceTimersByTimeAsync(5);
    monitor.destroy();
    expect(target.count()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('the connectionMonitor singleton starts unbound and works once attached', async () => {
    expect(connectionMonitor.getState()).toBe('connecting');
    expect(connectionMonitor.isRunning()).toBe(false);
    const host = mockHost();
    const monitor = new ConnectionMonitor({ target: null });
    monitor.start();
    expect(host.callWithTimeout).not.toHaveBeenCalled();
    monitor.attach(host.bridge);
    await vi.advanceTimersByTimeAsync(5);
    expect(monitor.getState()).toBe('connected');
    monitor.destroy();
  });
});

function adapterOn(host: ReturnType<typeof mockHost>, options: EnhancedParentStorageOptions = {}) {
  const monitor = fakeMonitor('connected');
  const fallback = createMemoryStorage();
  const target = fakeTarget();
  const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: host.bridge, monitor, fallback, target, ...options });
  return { storage, monitor, fallback, target };
}

describe('EnhancedParentStorageAdapter', () => {
  test('has the documented defaults', () => {
    expect(DEFAULT_ENHANCED_STORAGE_CONFIG).toMatchObject({
      maxAttempts: 3,
      initialDelay: 100,
      maxDelay: 2000,
      backoffMultiplier: 2,
      cacheTtl: 5000,
      debounceDelay: 300,
      maxQueueSize: 100,
      debug: false,
    });
  });

  test('caches a value read from the host for 5 s, then asks again', async () => {
    const host = mockHost();
    host.data.set('k', 'v');
    const { storage } = adapterOn(host);
    const first = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(5);
    await expect(first).resolves.toBe('v');
    await vi.advanceTimersByTimeAsync(4900);
    await expect(storage.getItem('k')).resolves.toBe('v');
    expect(host.methods()).toEqual(['getItem']);
    await vi.advanceTimersByTimeAsync(200);
    const third = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(5);
    await expect(third).resolves.toBe('v');
    expect(host.methods()).toEqual(['getItem', 'getItem']);
  });

  test('retries getItem 3 times, 100 ms then 200 ms apart, then answers the fallback value', async () => {
    const times: number[] = [];
    const callWithTimeout = vi.fn(async () => {
      times.push(Date.now());
      throw new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout');
    });
    const fallback = createMemoryStorage();
    fallback.setItem('framewire:demo:k', 'offline');
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: { callWithTimeout } as never, fallback, target: null });
    const read = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(read).resolves.toBe('offline');
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual([0, 100, 300]);
  });

  test('backoff waits are capped at maxDelay', async () => {
    const times: number[] = [];
    const callWithTimeout = vi.fn(async () => {
      times.push(Date.now());
      throw new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout');
    });
    const storage = new EnhancedParentStorageAdapter(
      { widgetId: 'demo', bridge: { callWithTimeout } as never, fallback: createMemoryStorage(), target: null, maxAttempts: 4, initialDelay: 1000, backoffMultiplier: 3 },
    );
    const read = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(read).resolves.toBeNull();
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual([0, 1000, 3000, 5000]);
  });

  test("keeps seed 004's constructor: (retryConfig, debug), debug lines prefixed [EnhancedParentStorageAdapter]", () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const storage = new EnhancedParentStorageAdapter({ maxAttempts: 5, initialDelay: 200, maxDelay: 5000, backoffMultiplier: 1.5 }, true);
    storage.setItem('k', 'v'); // unbound: queued
    expect(storage.getQueueSize()).toBe(0);
    storage.flush();
    expect(storage.getQueueSize()).toBe(1);
    expect(debug.mock.calls.some(([line]) => String(line).startsWith('[EnhancedParentStorageAdapter] Queued message'))).toBe(true);
    storage.destroy();
  });

  test('debounces setItem per key by 300 ms; the last value wins', async () => {
    const host = mockHost();
    const { storage } = adapterOn(host);
    storage.setItem('typing', 'a');
    storage.setItem('typing', 'ab');
    storage.setItem('other', 'x');
    storage.setItem('typing', 'abc');
    await vi.advanceTimersByTimeAsync(299);
    expect(host.methods()).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(host.log.map((c) => c.args)).toEqual([['other', 'x'], ['typing', 'abc']]);
    expect(host.data.get('typing')).toBe('abc');
  });

  test('read-your-writes: getItem right after setItem returns the new value, connected or not', async () => {
    const host = mockHost();
    host.data.set('k', 'old');
    const { storage, monitor } = adapterOn(host);
    storage.setItem('k', 'new');
    await expect(storage.getItem('k')).resolves.toBe('new');
    expect(storage.getItemSync('k')).toBe('new');
    monitor.set('disconnected');
    storage.setItem('k', 'newer');
    await expect(storage.getItem('k')).resolves.toBe('newer');
    expect(host.methods()).toEqual([]);
  });

  test('removeItem drops the cached value and the pending debounced write of that key', async () => {
    const host = mockHost();
    host.data.set('k', 'host');
    const { storage } = adapterOn(host);
    storage.setItem('k', 'pending');
    storage.removeItem('k');
    await expect(storage.getItem('k')).resolves.toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.methods()).toEqual(['removeItem']);
    expect(host.data.has('k')).toBe(false);
    const after = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(5);
    await expect(after).resolves.toBeNull();
  });

  test('while disconnected getItem answers from the fallback at once, without retry waits', async () => {
    const host = mockHost();
    const { storage, monitor, fallback } = adapterOn(host);
    fallback.setItem('framewire:demo:k', 'kept');
    monitor.set('disconnected');
    await expect(storage.getItem('k')).resolves.toBe('kept');
    expect(host.methods()).toEqual([]);
  });

  test('a read waiting to retry answers from the fallback as soon as the monitor says disconnected', async () => {
    const callWithTimeout = vi.fn().mockRejectedValue(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout'));
    const monitor = fakeMonitor('connected');
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: { callWithTimeout } as never, monitor, fallback: createMemoryStorage(), target: null });
    const read = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(0);
    monitor.set('disconnected');
    await vi.advanceTimersByTimeAsync(0);
    await expect(read).resolves.toBeNull();
    expect(callWithTimeout).toHaveBeenCalledTimes(1);
    expect(monitor.checkConnection).toHaveBeenCalled();
  });

  test('while disconnected writes go to the fallback and the queue, and are replayed in order on reconnect', async () => {
    const host = mockHost();
    const { storage, monitor, fallback } = adapterOn(host);
    monitor.set('disconnected');
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.removeItem('c');
    expect(storage.getQueueSize()).toBe(3);
    expect(fallback.getItem('framewire:demo:a')).toBe('1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.methods()).toEqual([]);
    monitor.set('connected');
    await vi.advanceTimersByTimeAsync(20);
    expect(host.log.map((c) => [c.method, ...c.args])).toEqual([['setItem', 'a', '1'], ['setItem', 'b', '2'], ['removeItem', 'c']]);
    expect(storage.getQueueSize()).toBe(0);
  });

  test('the queue holds at most 100 writes, FIFO, the oldest dropped and counted', async () => {
    const host = mockHost();
    const { storage, monitor } = adapterOn(host);
    monitor.set('disconnected');
    for (let i = 0; i < 105; i++) storage.setItem(`k${i}`, String(i));
    expect(storage.getQueueSize()).toBe(100);
    expect(storage.getDroppedCount()).toBe(5);
    monitor.set('connected');
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.log.map((c) => c.args[0])).toEqual(Array.from({ length: 100 }, (_, i) => `k${i + 5}`));
  });

  test('a newer write of a queued key replaces the older entry instead of taking a slot', () => {
    const host = mockHost();
    const { storage, monitor } = adapterOn(host);
    monitor.set('disconnected');
    for (let i = 0; i < 500; i++) storage.setItem('conversation', String(i));
    expect(storage.getQueueSize()).toBe(1);
    expect(storage.getDroppedCount()).toBe(0);
  });

  test("after a reconnect the queued (newer) writes win over the host's older values", async () => {
    const host = mockHost();
    host.data.set('k', 'old');
    const { storage, monitor } = adapterOn(host, { cacheTtl: 1000 });
    monitor.set('disconnected');
    storage.setItem('k', 'new');
    await vi.advanceTimersByTimeAsync(30_000); // the cache has long expired
    host.stall(); // the replay is slow to be acknowledged
    monitor.set('connected');
    await expect(storage.getItem('k')).resolves.toBe('new');
    host.resume();
    await vi.advanceTimersByTimeAsync(10);
    expect(host.data.get('k')).toBe('new');
    const after = storage.getItem('k');
    await vi.advanceTimersByTimeAsync(5);
    await expect(after).resolves.toBe('new');
  });

  test('falls back to sessionStorage by default, and to memory where sessionStorage throws', async () => {
    sessionStorage.clear();
    const monitor = fakeMonitor('disconnected');
    const first = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: mockHost().bridge, monitor, target: null });
    first.setItem('k', 'v');
    expect(sessionStorage.getItem('framewire:demo:k')).toBe('v');
    first.destroy();

    vi.spyOn(globalThis, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const second = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: mockHost().bridge, monitor, target: null });
    second.setItem('k', 'mem');
    await expect(second.getItem('k')).resolves.toBe('mem');
    expect(second.getItemSync('k')).toBe('mem');
    second.destroy();
  });

  test('pending debounced writes are sent on pagehide', async () => {
    const host = mockHost();
    const { storage, target } = adapterOn(host);
    storage.setItem('k', 'v');
    target.fire('pagehide');
    expect(host.log.map((c) => [c.method, ...c.args])).toEqual([['setItem', 'k', 'v']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.data.get('k')).toBe('v');
  });

  test('destroy sends pending debounced writes and leaves no timer or listener', async () => {
    const host = mockHost();
    const { storage, target, monitor } = adapterOn(host);
    expect(target.count()).toBe(1);
    expect(monitor.listenerCount()).toBe(1);
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.destroy();
    expect(host.methods()).toEqual(['setItem', 'setItem']);
    expect(target.count()).toBe(0);
    expect(monitor.listenerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0);
    expect(host.data.get('b')).toBe('2');
  });

  test('the enhancedParentStorage singleton is unbound: writes wait in the queue until attach', async () => {
    expect(enhancedParentStorage.getConnectionState()).toBe('connecting');
    const storage = new EnhancedParentStorageAdapter({ fallback: createMemoryStorage(), target: null });
    storage.setItem('k', 'v');
    await vi.advanceTimersByTimeAsync(400);
    expect(storage.getQueueSize()).toBe(1);
    const host = mockHost();
    storage.attach({ bridge: host.bridge, widgetId: 'demo' });
    await vi.advanceTimersByTimeAsync(10);
    expect(host.data.get('k')).toBe('v');
    storage.destroy();
  });

  test('a burst of 1,000 setItem calls on one key sends one bridge message', async () => {
    const host = mockHost();
    const { storage } = adapterOn(host);
    for (let i = 0; i < 1000; i++) storage.setItem('typing', `v${i}`);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.methods()).toEqual(['setItem']);
    expect(host.data.get('typing')).toBe('v999');
  });

  test('with a live monitor, writes made while the host is stalled reach it in order once it answers', async () => {
    const host = mockHost();
    const monitor = new ConnectionMonitor({ pinger: host.bridge, target: null });
    monitor.start();
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: host.bridge, monitor, fallback: createMemoryStorage(), target: null });
    await vi.advanceTimersByTimeAsync(10);
    host.stall();
    const conversation: string[] = [];
    for (let second = 0; second < 20; second++) {
      conversation.push(`m${second}`);
      storage.setItem('conversation', JSON.stringify(conversation));
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(monitor.getState()).toBe('disconnected');
    host.resume();
    await vi.advanceTimersByTimeAsync(3000);
    expect(monitor.getState()).toBe('connected');
    expect(JSON.parse(host.data.get('conversation') ?? '[]')).toEqual(conversation);
    expect(storage.getQueueSize()).toBe(0);
    storage.destroy();
    monitor.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});
