import { JSDOM } from 'jsdom';
import { createEventQueue } from '../../lib/embed/queue/event-queue';
import { createMemoryStorage } from '../../lib/util/memory-storage';

/**
 * Requests and bytes per 1,000 clicks, and the cost of `enqueue`, with a fake collector that
 * accepts everything (no network: the figures are the queue's own). Storage is an in-memory
 * Web Storage: jsdom's localStorage costs about a millisecond per write, far from a real
 * browser's, and would measure jsdom. Clicks come one after another (a batch leaves every
 * 10), then 500 while offline (the worst case: each enqueue re-reads a growing queue).
 */
const dom = new JSDOM('<!doctype html>', { url: 'https://host.example/' });
const win: Window = dom.window;
let requests = 0;
let bytes = 0;
const fetch = (async (_url: string, init: RequestInit) => {
  requests++;
  const body = String(init.body);
  bytes += Buffer.byteLength(body);
  const ids = (JSON.parse(body) as { events: { id: string }[] }).events.map((e) => e.id);
  return { status: 200, ok: true, headers: new Headers(), json: async () => ({ accepted: ids, duplicates: [], failed: [] }) } as Response;
}) as typeof globalThis.fetch;

const click = (n: number) => ({ sessionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', offerId: `offer-${n % 7}`, questionId: 'q-1', userAgent: win.navigator.userAgent });

async function spread(): Promise<void> {
  const queue = createEventQueue({ url: 'https://c.example/api/track/click/batch', widgetId: 'demo' }, { window: win, fetch, storage: createMemoryStorage() });
  // Simulated time: the batch timer fires between bursts (5 s), so we drive it with flush.
  for (let i = 0; i < 1000; i++) {
    queue.enqueue(click(i));
    await Promise.resolve(); // lets a full batch's request complete, as between real clicks
  }
  await queue.flush();
  queue.destroy();
}

async function burst(): Promise<number> {
  const queue = createEventQueue({ url: 'https://c.example/api/track/click/batch', widgetId: 'demo', maxBatchSize: 10_000 }, { window: win, fetch, storage: createMemoryStorage() });
  Object.defineProperty(win.navigator, 'onLine', { value: false, configurable: true });
  const started = performance.now();
  for (let i = 0; i < 500; i++) queue.enqueue(click(i));
  const ms = performance.now() - started;
  queue.destroy();
  Object.defineProperty(win.navigator, 'onLine', { value: true, configurable: true });
  return ms;
}

await spread();
console.log(`1,000 clicks: ${requests} requests, ${(bytes / 1024).toFixed(1)} KB of request bodies (${Math.round(bytes / 1000)} bytes per click); goal <= 100 requests: ${requests <= 100 ? 'OK' : 'FAIL'}`);
const singles = await (async () => {
  const queue = createEventQueue({ url: 'https://c.example/x', widgetId: 'demo' }, { window: win, fetch, storage: createMemoryStorage() });
  const started = performance.now();
  for (let i = 0; i < 1000; i++) {
    queue.enqueue(click(i));
    await Promise.resolve();
  }
  const ms = performance.now() - started;
  await queue.flush();
  queue.destroy();
  return ms;
})();
console.log(`enqueue, queue sending as it fills (<= 10 held): ${singles.toFixed(1)} µs per event (1,000 events in ${singles.toFixed(0)} ms)`);
const offline = await burst();
console.log(`enqueue while offline, queue growing to 500 (its bound): ${((offline * 1000) / 500).toFixed(1)} µs per event on average`);
dom.window.close();
