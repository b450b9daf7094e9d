import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  ConnectionMonitor,
  connectionMonitor,
  DEFAULT_CONNECTION_MONITOR_CONFIG,
  DEFAULT_ENHANCED_STORAGE_CONFIG,
  EnhancedParentStorageAdapter,
  enhancedParentStorage,
} from '../../lib/chat-widget';
import type { ConnectionState, EnhancedParentStorageOptions } from '../../lib/chat-widget';
import { createMemoryStorage } from '../../lib/util/memory-storage';
import { advance, connect, fakeMonitor, fakeTarget, pump, realHost, useCountedChannels } from './support';
import type { RealHost } from './support';

const closers: (() => void)[] = [];

/** The default each option shows in the configuration block of the reliability doc (`name?: type; // 5000 ms …`). */
function documentedDefaults(): Map<string, number | boolean> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/CROSS_FRAME_RELIABILITY.md'), 'utf8');
  const found = new Map<string, number | boolean>();
  for (const [, name, value] of doc.matchAll(/^\s+(\w+)\?: [^;]+;\s*\/\/ (\d+|true|false)\b/gm)) {
    if (name !== undefined && value !== undefined) found.set(name, value === 'true' ? true : value === 'false' ? false : Number(value));
  }
  return found;
}

describe('the documented defaults', () => {
  test.each([
    ['ConnectionMonitor', DEFAULT_CONNECTION_MONITOR_CONFIG],
    ['EnhancedParentStorageAdapter', DEFAULT_ENHANCED_STORAGE_CONFIG],
  ] as const)('every default of %s is the one the docs give', (_name, defaults) => {
    const documented = documentedDefaults();
    const exported = Object.entries(defaults).filter(([, value]) => typeof value === 'number' || typeof value === 'boolean');
    expect(exported.length).toBeGreaterThan(5);
    for (const [option, value] of exported) expect({ option, value: documented.get(option) }).toEqual({ option, value });
  });
});

beforeEach(() => {
  vi.useFakeTimers();
  useCountedChannels();
});
afterEach(() => {
  for (const close of closers.splice(0)) close();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The widget's real bridge client, connected to `host` over a real MessageChannel. */
async function bridgeTo(host: RealHost) {
  const link = connect(host);
  closers.push(link.close);
  await pump();
  expect(link.client.getState()).toBe('connected');
  return link.client;
}

/**
 * The bridge keeps one timer armed for its earliest call deadline and lets it lapse rather
 * than rearm it on every answer: 2 s (the default call timeout of pings and writes) lets it
 * go, so the timers left are the ones under test. Shorter than the heartbeat interval (5 s)
 * and past the debounce delay (300 ms): a timer left behind is still pending, or has fired
 * and sent a call the test sees.
 */
const drainBridgeDeadlines = () => advance(2000);

async function monitorOn(host: RealHost, options: ConstructorParameters<typeof ConnectionMonitor>[0] = {}) {
  const client = await bridgeTo(host);
  const target = fakeTarget();
  const monitor = new ConnectionMonitor({ pinger: client, target, ...options });
  closers.push(() => monitor.destroy());
  const states: ConnectionState[] = [];
  monitor.addListener((state) => states.push(state));
  return { monitor, target, states, client };
}

/** Starts a monitor and lets its first pong arrive. */
async function connected(host: RealHost, options: ConstructorParameters<typeof ConnectionMonitor>[0] = {}) {
  const made = await monitorOn(host, options);
  made.monitor.start();
  await advance(10);
  expect(made.monitor.getState()).toBe('connected');
  return made;
}

describe('ConnectionMonitor', () => {
  test('without options it keeps the documented defaults: a ping every 5 s with 2 s to answer, 250 ms confirmations, disconnected at the 3rd miss, probing on, silent', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const host = realHost();
    // An option given as undefined takes the default too.
    const { monitor, states } = await monitorOn(host, { heartbeatInterval: undefined as unknown as number });
    const startedAt = Date.now();
    monitor.start();
    await advance(10_010);
    host.stall();
    // The ping at 15 s times out at 17 s; two confirmations of 250 ms each follow.
    await advance(17_499 - 10_010);
    expect(monitor.getStats().failedPings).toBe(2);
    expect(monitor.getState()).toBe('connected');
    await advance(1);
    expect(monitor.getState()).toBe('disconnected');
    expect(monitor.getStats().failedPings).toBe(3);
    // …and, disconnected, it probes on at once (autoRecover).
    expect(host.log.map((call) => call.at - startedAt)).toEqual([0, 5000, 10_000, 15_000, 17_000, 17_250, 17_500]);
    const probesWhileDown = host.methods().length;
    await advance(5000);
    expect(host.methods().length).toBeGreaterThan(probesWhileDown);
    expect(states).toEqual(['connected', 'disconnected']);
    expect(debug).not.toHaveBeenCalled();
    // The exported constant is what the monitor runs on.
    expect(monitor.config).toEqual(DEFAULT_CONNECTION_MONITOR_CONFIG);
  });

  test('starts connecting and becomes connected at the first pong, telling listeners state and stats', async () => {
    const host = realHost();
    const { monitor, client } = await monitorOn(host);
    const calls = vi.spyOn(client, 'callWithTimeout');
    const seen: unknown[] = [];
    monitor.addListener((state, stats) => seen.push([state, stats.totalPings]));
    expect(monitor.getState()).toBe('connecting');
    const startedAt = Date.now();
    monitor.start();
    await advance(5);
    expect(seen).toEqual([['connected', 1]]);
    expect(calls).toHaveBeenCalledWith(2000, 'ping', startedAt);
    expect(host.log).toEqual([{ method: 'ping', args: [startedAt], at: startedAt }]);
  });

  test('pings every heartbeatInterval while the host answers', async () => {
    const host = realHost();
    await connected(host);
    await advance(15_000);
    expect(host.methods().filter((m) => m === 'ping')).toHaveLength(4);
  });

  test('a host that goes silent right after a pong is disconnected within 8 s, after maxFailedPings failures', async () => {
    const host = realHost();
    const { monitor, states } = await connected(host);
    host.stall();
    const silentAt = Date.now();
    while (monitor.getState() !== 'disconnected') await advance(10);
    expect(Date.now() - silentAt).toBeLessThanOrEqual(8000);
    expect(monitor.getStats().failedPings).toBe(3);
    expect(states).toEqual(['connected', 'disconnected']);
  });

  test('a host main thread stalled for 1.5 s never flips the state, whatever the heartbeat phase', async () => {
    const host = realHost();
    const { monitor, states } = await connected(host);
    for (let phase = 0; phase < 5000; phase += 125) {
      await advance(phase % 700);
      host.stall();
      await advance(1500);
      host.resume();
      await advance(10);
    }
    expect(states).toEqual(['connected']);
    expect(monitor.getState()).toBe('connected');
  });

  test('a bridge call that times out counts as a failed ping', async () => {
    const host = realHost();
    const { monitor, states } = await monitorOn(host);
    host.stall();
    monitor.start();
    await advance(1999);
    expect(monitor.getStats()).toMatchObject({ failedPings: 0, totalPings: 1 });
    await advance(1);
    // The call timed out at 2000 ms: one failure, and the next probe goes at once.
    expect(monitor.getStats()).toMatchObject({ failedPings: 1, totalPings: 2 });
    expect(host.methods()).toEqual(['ping', 'ping']);
    expect(states).toEqual([]);
  });

  test('while disconnected it keeps probing and reports connected within one probe of the host answering', async () => {
    const host = realHost();
    const { monitor } = await connected(host);
    host.stall();
    await advance(20_000);
    expect(monitor.getState()).toBe('disconnected');
    const probesWhileDown = host.methods().length;
    await advance(4000);
    expect(host.methods().length).toBeGreaterThan(probesWhileDown);
    host.resume();
    await advance(1);
    expect(monitor.getState()).toBe('connected');
    expect(monitor.getStats().failedPings).toBe(0);
  });

  test('with autoRecover off it stops probing once disconnected; checkConnection recovers', async () => {
    const host = realHost();
    const { monitor } = await connected(host, { autoRecover: false });
    host.stall();
    await advance(10_000);
    expect(monitor.getState()).toBe('disconnected');
    const calls = host.methods().length;
    await advance(30_000);
    expect(host.methods().length).toBe(calls);
    host.resume();
    monitor.checkConnection();
    await advance(5);
    expect(monitor.getState()).toBe('connected');
  });

  test.each(['visibilitychange', 'online', 'focus'])('%s probes at once', async (event) => {
    const host = realHost();
    const { target } = await connected(host);
    const before = host.methods().length;
    target.fire(event);
    await pump(); // the message crosses the channel; the clock does not move
    expect(host.methods().length).toBe(before + 1);
  });

  test('checkConnection probes at once, and not twice while a probe is in flight', async () => {
    const host = realHost({ latency: 50 });
    const { monitor } = await monitorOn(host);
    monitor.start();
    await advance(60);
    monitor.checkConnection();
    monitor.checkConnection();
    await pump();
    expect(host.methods()).toEqual(['ping', 'ping']);
  });

  test('a probe whose timer fired long after it was due (throttled tab) is not a failure', async () => {
    const host = realHost();
    const { monitor } = await connected(host);
    host.stall();
    await advance(5000); // the next ping is sent, unanswered
    // The frame sleeps 10 s: the clock moves on, no timer runs meanwhile.
    vi.setSystemTime(Date.now() + 10_000);
    await advance(2000);
    expect(monitor.getStats().failedPings).toBe(0);
    host.resume();
    await advance(5);
    expect(monitor.getState()).toBe('connected');
  });

  test('averageLatency is the mean of the last 10 pongs', async () => {
    const host = realHost({ latency: 100 });
    const { monitor } = await monitorOn(host, { heartbeatInterval: 1000 });
    monitor.start();
    for (let i = 0; i < 10; i++) await advance(1100);
    expect(monitor.getStats().averageLatency).toBe(100);
    host.setLatency(300);
    for (let i = 0; i < 5; i++) await advance(1300);
    expect(monitor.getStats().averageLatency).toBeGreaterThan(100);
    expect(monitor.getStats().averageLatency).toBeLessThan(300);
    for (let i = 0; i < 10; i++) await advance(1300);
    expect(monitor.getStats().averageLatency).toBe(300);
  });

  test('addListener returns an unsubscribe', async () => {
    const host = realHost();
    const { monitor } = await monitorOn(host);
    const listener = vi.fn();
    const unsubscribe = monitor.addListener(listener);
    unsubscribe();
    monitor.start();
    await advance(5);
    expect(listener).not.toHaveBeenCalled();
  });

  test('stop and destroy leave no timer and no window listener', async () => {
    const host = realHost();
    const { monitor, target } = await connected(host);
    expect(target.count()).toBe(3);
    monitor.stop();
    expect(target.count()).toBe(0);
    await drainBridgeDeadlines();
    expect(vi.getTimerCount()).toBe(0);
    expect(host.methods()).toEqual(['ping']);
    monitor.start();
    await advance(5);
    monitor.destroy();
    expect(target.count()).toBe(0);
    await drainBridgeDeadlines();
    expect(vi.getTimerCount()).toBe(0);
    expect(host.methods()).toEqual(['ping', 'ping']);
  });

  test('the connectionMonitor singleton starts unbound and works once attached', async () => {
    expect(connectionMonitor.getState()).toBe('connecting');
    expect(connectionMonitor.isRunning()).toBe(false);
    const host = realHost();
    const bridge = await bridgeTo(host);
    const monitor = new ConnectionMonitor({ target: null });
    closers.push(() => monitor.destroy());
    monitor.start();
    await advance(5000);
    expect(host.methods()).toEqual([]);
    monitor.attach(bridge);
    await advance(5);
    expect(monitor.getState()).toBe('connected');
    monitor.destroy();
  });
});

async function adapterOn(host: RealHost, options: EnhancedParentStorageOptions = {}) {
  const bridge = await bridgeTo(host);
  const monitor = fakeMonitor('connected');
  const fallback = createMemoryStorage();
  const target = fakeTarget();
  const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, monitor, fallback, target, ...options });
  closers.push(() => storage.destroy());
  return { storage, monitor, fallback, target, bridge };
}

describe('EnhancedParentStorageAdapter', () => {
  test('without options it keeps the documented defaults: 2 s per host call, 3 attempts 100 then 200 ms apart, silent', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const host = realHost();
    const bridge = await bridgeTo(host);
    host.stall();
    const fallback = createMemoryStorage();
    fallback.setItem('framewire:demo:k', 'offline');
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, fallback, target: null });
    closers.push(() => storage.destroy());
    const read = storage.getItem('k');
    await advance(10_000);
    await expect(read).resolves.toBe('offline');
    const times = host.log.map((call) => call.at);
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual([0, 2000 + 100, 2000 + 100 + 2000 + 200]);
    expect(debug).not.toHaveBeenCalled();
    // The cache (5 s), debounce (300 ms) and queue (100) defaults are shown by the tests below.
  });

  test('caches a value read from the host for 5 s, then asks again', async () => {
    const host = realHost();
    host.data.set('k', 'v');
    const { storage } = await adapterOn(host);
    const first = storage.getItem('k');
    await advance(5);
    await expect(first).resolves.toBe('v');
    await advance(4900);
    await expect(storage.getItem('k')).resolves.toBe('v');
    expect(host.methods()).toEqual(['getItem']);
    await advance(200);
    const third = storage.getItem('k');
    await advance(5);
    await expect(third).resolves.toBe('v');
    expect(host.methods()).toEqual(['getItem', 'getItem']);
  });

  test('retries getItem 3 times, 100 ms then 200 ms apart, then answers the fallback value', async () => {
    const host = realHost();
    const bridge = await bridgeTo(host);
    host.stall();
    const fallback = createMemoryStorage();
    fallback.setItem('framewire:demo:k', 'offline');
    // Each unanswered call times out after 50 ms, then the adapter waits 100, then 200 ms.
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, fallback, target: null, requestTimeout: 50 });
    closers.push(() => storage.destroy());
    const read = storage.getItem('k');
    await advance(1000);
    await expect(read).resolves.toBe('offline');
    const times = host.log.map((call) => call.at);
    expect(host.methods()).toEqual(['getItem', 'getItem', 'getItem']);
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual([0, 50 + 100, 50 + 100 + 50 + 200]);
  });

  test('backoff waits are capped at maxDelay', async () => {
    const host = realHost();
    const bridge = await bridgeTo(host);
    host.stall();
    const storage = new EnhancedParentStorageAdapter({
      widgetId: 'demo',
      bridge,
      fallback: createMemoryStorage(),
      target: null,
      requestTimeout: 50,
      maxAttempts: 4,
      initialDelay: 1000,
      backoffMultiplier: 3,
    });
    closers.push(() => storage.destroy());
    const read = storage.getItem('k');
    await advance(10_000);
    await expect(read).resolves.toBeNull();
    const times = host.log.map((call) => call.at);
    // Waits of 1000, then 2000 (not 3000), then 2000 (not 9000) ms, each after a 50 ms timeout.
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual([0, 1050, 3100, 5150]);
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
    const host = realHost();
    const { storage } = await adapterOn(host);
    storage.setItem('typing', 'a');
    storage.setItem('typing', 'ab');
    storage.setItem('other', 'x');
    storage.setItem('typing', 'abc');
    await advance(299);
    expect(host.methods()).toEqual([]);
    await advance(20);
    expect(host.log.map((c) => c.args)).toEqual([['other', 'x'], ['typing', 'abc']]);
    expect(host.data.get('typing')).toBe('abc');
  });

  test('read-your-writes: getItem right after setItem returns the new value, connected or not', async () => {
    const host = realHost();
    host.data.set('k', 'old');
    const { storage, monitor } = await adapterOn(host);
    storage.setItem('k', 'new');
    await expect(storage.getItem('k')).resolves.toBe('new');
    expect(storage.getItemSync('k')).toBe('new');
    monitor.set('disconnected');
    storage.setItem('k', 'newer');
    await expect(storage.getItem('k')).resolves.toBe('newer');
    expect(host.methods()).toEqual([]);
  });

  test('removeItem drops the cached value and the pending debounced write of that key', async () => {
    const host = realHost();
    host.data.set('k', 'host');
    const { storage } = await adapterOn(host);
    storage.setItem('k', 'pending');
    storage.removeItem('k');
    await expect(storage.getItem('k')).resolves.toBeNull();
    await advance(1000);
    expect(host.methods()).toEqual(['removeItem']);
    expect(host.data.has('k')).toBe(false);
    const after = storage.getItem('k');
    await advance(5);
    await expect(after).resolves.toBeNull();
  });

  test('while disconnected getItem answers from the fallback at once, without retry waits', async () => {
    const host = realHost();
    const { storage, monitor, fallback } = await adapterOn(host);
    fallback.setItem('framewire:demo:k', 'kept');
    monitor.set('disconnected');
    await expect(storage.getItem('k')).resolves.toBe('kept');
    expect(host.methods()).toEqual([]);
  });

  test('a read waiting to retry answers from the fallback as soon as the monitor says disconnected', async () => {
    const host = realHost();
    const { storage, monitor } = await adapterOn(host, { initialDelay: 1000 });
    host.stall();
    const read = storage.getItem('k');
    let answered = false;
    void read.then(() => (answered = true));
    await advance(2000); // the first call times out; the retry is 1000 ms away
    expect(answered).toBe(false);
    monitor.set('disconnected');
    await advance(0);
    expect(answered).toBe(true);
    await expect(read).resolves.toBeNull();
    expect(host.methods()).toEqual(['getItem']);
    expect(monitor.checkConnection).toHaveBeenCalled();
  });

  test('while disconnected writes go to the fallback and the queue, and are replayed in order on reconnect', async () => {
    const host = realHost();
    const { storage, monitor, fallback } = await adapterOn(host);
    monitor.set('disconnected');
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.removeItem('c');
    expect(storage.getQueueSize()).toBe(3);
    expect(fallback.getItem('framewire:demo:a')).toBe('1');
    await advance(1000);
    expect(host.methods()).toEqual([]);
    monitor.set('connected');
    await advance(20);
    expect(host.log.map((c) => [c.method, ...c.args])).toEqual([['setItem', 'a', '1'], ['setItem', 'b', '2'], ['removeItem', 'c']]);
    expect(storage.getQueueSize()).toBe(0);
  });

  test('the queue holds at most 100 writes, FIFO, the oldest dropped and counted', async () => {
    const host = realHost();
    const { storage, monitor } = await adapterOn(host);
    monitor.set('disconnected');
    for (let i = 0; i < 105; i++) storage.setItem(`k${i}`, String(i));
    expect(storage.getQueueSize()).toBe(100);
    expect(storage.getDroppedCount()).toBe(5);
    monitor.set('connected');
    await advance(1000);
    expect(host.log.map((c) => c.args[0])).toEqual(Array.from({ length: 100 }, (_, i) => `k${i + 5}`));
  });

  test('a newer write of a queued key replaces the older entry instead of taking a slot', async () => {
    const host = realHost();
    const { storage, monitor } = await adapterOn(host);
    monitor.set('disconnected');
    for (let i = 0; i < 500; i++) storage.setItem('conversation', String(i));
    expect(storage.getQueueSize()).toBe(1);
    expect(storage.getDroppedCount()).toBe(0);
  });

  test("after a reconnect the queued (newer) writes win over the host's older values", async () => {
    const host = realHost();
    host.data.set('k', 'old');
    const { storage, monitor } = await adapterOn(host, { cacheTtl: 1000 });
    monitor.set('disconnected');
    storage.setItem('k', 'new');
    await advance(30_000); // the cache has long expired
    host.stall(); // the replay is slow to be acknowledged
    monitor.set('connected');
    await expect(storage.getItem('k')).resolves.toBe('new');
    host.resume();
    await advance(10);
    expect(host.data.get('k')).toBe('new');
    const after = storage.getItem('k');
    await advance(5);
    await expect(after).resolves.toBe('new');
  });

  test('falls back to sessionStorage by default, and to memory where sessionStorage throws', async () => {
    sessionStorage.clear();
    const monitor = fakeMonitor('disconnected');
    const bridge = await bridgeTo(realHost());
    const first = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, monitor, target: null });
    first.setItem('k', 'v');
    expect(sessionStorage.getItem('framewire:demo:k')).toBe('v');
    first.destroy();

    vi.spyOn(globalThis, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const second = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, monitor, target: null });
    second.setItem('k', 'mem');
    await expect(second.getItem('k')).resolves.toBe('mem');
    expect(second.getItemSync('k')).toBe('mem');
    second.destroy();
  });

  test('pending debounced writes are sent on pagehide', async () => {
    const host = realHost();
    const { storage, target } = await adapterOn(host);
    storage.setItem('k', 'v');
    target.fire('pagehide');
    await pump(); // no time passes: the write is sent at once
    expect(host.log.map((c) => [c.method, ...c.args])).toEqual([['setItem', 'k', 'v']]);
    await advance(1000);
    expect(host.data.get('k')).toBe('v');
  });

  test('destroy sends pending debounced writes and leaves no timer or listener', async () => {
    const host = realHost();
    const { storage, target, monitor } = await adapterOn(host);
    expect(target.count()).toBe(1);
    expect(monitor.listenerCount()).toBe(1);
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.destroy();
    await pump(); // no time passes: the writes are sent at once
    expect(host.methods()).toEqual(['setItem', 'setItem']);
    expect(target.count()).toBe(0);
    expect(monitor.listenerCount()).toBe(0);
    await drainBridgeDeadlines();
    expect(vi.getTimerCount()).toBe(0);
    expect(host.methods()).toEqual(['setItem', 'setItem']);
    expect(host.data.get('b')).toBe('2');
  });

  test('the enhancedParentStorage singleton is unbound: writes wait in the queue until attach', async () => {
    expect(enhancedParentStorage.getConnectionState()).toBe('connecting');
    const storage = new EnhancedParentStorageAdapter({ fallback: createMemoryStorage(), target: null });
    storage.setItem('k', 'v');
    await advance(400);
    expect(storage.getQueueSize()).toBe(1);
    const host = realHost();
    storage.attach({ bridge: await bridgeTo(host), widgetId: 'demo' });
    await advance(10);
    expect(host.data.get('k')).toBe('v');
    storage.destroy();
  });

  test('a burst of 1,000 setItem calls on one key sends one bridge message', async () => {
    const host = realHost();
    const { storage } = await adapterOn(host);
    for (let i = 0; i < 1000; i++) storage.setItem('typing', `v${i}`);
    await advance(1000);
    expect(host.methods()).toEqual(['setItem']);
    expect(host.data.get('typing')).toBe('v999');
  });

  test('with a live monitor, writes made while the host is stalled reach it in order once it answers', async () => {
    const host = realHost();
    const bridge = await bridgeTo(host);
    const monitor = new ConnectionMonitor({ pinger: bridge, target: null });
    monitor.start();
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge, monitor, fallback: createMemoryStorage(), target: null });
    await advance(10);
    host.stall();
    const conversation: string[] = [];
    for (let second = 0; second < 20; second++) {
      conversation.push(`m${second}`);
      storage.setItem('conversation', JSON.stringify(conversation));
      await advance(1000);
    }
    expect(monitor.getState()).toBe('disconnected');
    host.resume();
    await advance(3000);
    expect(monitor.getState()).toBe('connected');
    expect(JSON.parse(host.data.get('conversation') ?? '[]')).toEqual(conversation);
    expect(storage.getQueueSize()).toBe(0);
    storage.destroy();
    monitor.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});
