import { ConnectionMonitor } from '../../lib/chat-widget/connection-monitor';
import { EnhancedParentStorageAdapter } from '../../lib/chat-widget/parent-storage-enhanced';
import { ErrorCode, FramewireError } from '../../lib/protocol/errors';
import { createMemoryStorage } from '../../lib/util/memory-storage';
import { withDeadline } from '../../__tests__/support/deadline';

/**
 * ConnectionMonitor and EnhancedParentStorageAdapter at default settings, in real time,
 * against an in-process host that can stall (hold every call) like a blocked main thread:
 *   - detection: stall start -> `disconnected`, stalls started at spread heartbeat phases;
 *   - recovery: stall end -> `connected`;
 *   - getItem cache-hit time (goal <= 5 µs);
 *   - bridge messages sent for a burst of 1,000 setItem calls on one key.
 */
const PHASES_MS = [0, 1250, 2500, 3750, 4990];
const DETECTION_GOAL_MS = 8000;
const CACHE_HIT_GOAL_US = 5;

function stallableHost() {
  const data = new Map<string, string>();
  const held: (() => void)[] = [];
  let stalled = false;
  let messages = 0;
  const callWithTimeout = (timeoutMs: number, method: string, ...args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      messages++;
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout'));
      }, timeoutMs);
      const answer = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const [key, value] = args as [string, string];
        if (method === 'setItem') data.set(key, value);
        resolve(method === 'ping' ? args[0] : method === 'getItem' ? (data.get(key) ?? null) : null);
      };
      if (stalled) held.push(answer);
      else queueMicrotask(answer);
    });
  return {
    bridge: { callWithTimeout } as never,
    messages: () => messages,
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const answer of held.splice(0)) answer();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the monitor reaches `state`; 30 s at most (it detects and recovers in a few). */
function waitFor(monitor: ConnectionMonitor, state: string): Promise<number> {
  const reached = new Promise<number>((resolve) => {
    const off = monitor.addListener((next) => {
      if (next !== state) return;
      off();
      resolve(performance.now());
    });
  });
  return withDeadline(reached, 30_000, `the connection monitor reaching ${state}`);
}

async function detectionAndRecovery(phase: number): Promise<{ detect: number; recover: number }> {
  const host = stallableHost();
  const monitor = new ConnectionMonitor({ pinger: host.bridge, target: null });
  const up = waitFor(monitor, 'connected');
  monitor.start();
  await up;
  await sleep(phase);
  const down = waitFor(monitor, 'disconnected');
  host.stall();
  const stalledAt = performance.now();
  const detect = (await down) - stalledAt;
  await sleep(3000);
  const back = waitFor(monitor, 'connected');
  const freedAt = performance.now();
  host.resume();
  const recover = (await back) - freedAt;
  monitor.destroy();
  return { detect, recover };
}

async function cacheHit(): Promise<number> {
  const host = stallableHost();
  const storage = new EnhancedParentStorageAdapter({ widgetId: 'bench', bridge: host.bridge, fallback: createMemoryStorage(), target: null });
  await storage.getItem('k');
  const rounds = 200_000;
  for (let i = 0; i < 10_000; i++) await storage.getItem('k');
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await storage.getItem('k');
  const perCallUs = ((performance.now() - start) * 1000) / rounds;
  storage.destroy();
  return perCallUs;
}

async function burst(): Promise<number> {
  const host = stallableHost();
  const storage = new EnhancedParentStorageAdapter({ widgetId: 'bench', bridge: host.bridge, fallback: createMemoryStorage(), target: null });
  for (let i = 0; i < 1000; i++) storage.setItem('typing', `value ${i}`);
  await sleep(500);
  storage.destroy();
  return host.messages();
}

const trials = await Promise.all(PHASES_MS.map(detectionAndRecovery));
const detect = trials.map((t) => t.detect);
const recover = trials.map((t) => t.recover);
const hitUs = await cacheHit();
const sent = await burst();

const fmt = (values: number[], unit: string, digits = 0) =>
  `min ${Math.min(...values).toFixed(digits)} ${unit}, max ${Math.max(...values).toFixed(digits)} ${unit}`;
console.log('ConnectionMonitor, defaults (interval 5000, timeout 2000, 3 failed pings, confirm 250)');
console.log(`  detection, stall start -> disconnected (${PHASES_MS.length} heartbeat phases): ${fmt(detect, 'ms')}  goal <= ${DETECTION_GOAL_MS} ms: ${Math.max(...detect) <= DETECTION_GOAL_MS ? 'ok' : 'MISSED'}`);
console.log(`  recovery, stall end -> connected: ${fmt(recover, 'ms', 2)}`);
console.log('EnhancedParentStorageAdapter, defaults');
console.log(`  getItem cache hit: ${hitUs.toFixed(3)} µs per call  goal <= ${CACHE_HIT_GOAL_US} µs: ${hitUs <= CACHE_HIT_GOAL_US ? 'ok' : 'MISSED'}`);
console.log(`  burst of 1,000 setItem on one key: ${sent} bridge message(s)`);
