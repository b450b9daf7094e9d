import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createEventQueue } from '../../../lib/embed/queue/event-queue';
import type { EventQueue, EventQueueDeps } from '../../../lib/embed/queue/event-queue';
import { createClickQueue, createAnalyticsQueue } from '../../../lib/embed/click-queue';
import { createMemoryStorage } from '../../../lib/util/memory-storage';
import { click, fakeCollector } from './fake-collector';

const URL_ = 'https://collector.example/api/track/click/batch';
const queues: EventQueue[] = [];
const start = (deps: EventQueueDeps, options: Record<string, unknown> = {}) => {
  const queue = createEventQueue({ url: URL_, widgetId: 'demo', jitter: 0, ...options }, deps);
  queues.push(queue);
  return queue;
};
const stored = (): { id: string }[] =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith('srv_click_queue:'))
    .flatMap((key) => (JSON.parse(localStorage.getItem(key) as string) as { e: { id: string }[] }).e);
const setOnline = (value: boolean) => Object.defineProperty(navigator, 'onLine', { value, configurable: true });

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  setOnline(true);
});
afterEach(() => {
  for (const queue of queues.splice(0)) queue.destroy();
  vi.useRealTimers();
});

describe('batching', () => {
  test('sends 10 events at once in one request', async () => {
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch });
    for (let i = 0; i < 9; i++) queue.enqueue(click(i));
    expect(collector.requests).toHaveLength(0);
    queue.enqueue(click(9));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.batch.events).toHaveLength(10);
    expect(collector.requests[0]?.url).toBe(URL_);
    expect(queue.size()).toBe(0);
  });

  test('sends a smaller batch 5 s after its first event', async () => {
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(3000);
    queue.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(1999);
    expect(collector.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.batch.events).toHaveLength(2);
  });

  test('gives each event a UUIDv7 and a timestamp at enqueue, and keeps given ones', () => {
    const queue = start({ fetch: fakeCollector().fetch });
    vi.setSystemTime(1_730_956_800_000);
    queue.enqueue(click(1));
    queue.enqueue({ ...click(2), id: 'given-id', timestamp: 5 });
    const [first, second] = stored() as { id: string; timestamp: number }[];
    expect(first?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first?.timestamp).toBe(1_730_956_800_000);
    expect(second).toMatchObject({ id: 'given-id', timestamp: 5 });
  });

  test('ignores an id it already holds (a retried track call)', () => {
    const queue = start({ fetch: fakeCollector().fetch });
    expect(queue.enqueue({ ...click(1), id: 'a' })).toBe(true);
    expect(queue.enqueue({ ...click(1), id: 'a' })).toBe(false);
    expect(queue.size()).toBe(1);
  });

  test('sends a backlog in requests of at most 25 events', async () => {
    const collector = fakeCollector();
    setOnline(false);
    const queue = start({ fetch: collector.fetch });
    for (let i = 0; i < 60; i++) queue.enqueue(click(i));
    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests.map((r) => r.batch.events.length)).toEqual([25, 25, 10]);
    expect(collector.stored.size).toBe(60);
  });
});

describe('retries', () => {
  test('backs off 2, 4, 8, 16, 30, 30 s on network errors, with the same ids', async () => {
    const collector = fakeCollector(['network', 'network', 'network', 'network', 'network', 'network']);
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    const times: number[] = [];
    let last = Date.now();
    for (const wait of [2000, 4000, 8000, 16000, 30000, 30000]) {
      const before = collector.requests.length;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(collector.requests).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(collector.requests).toHaveLength(before + 1);
      times.push(Date.now() - last);
      last = Date.now();
    }
    expect(times).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(new Set(collector.requests.map((r) => r.batch.events[0]?.id)).size).toBe(1);
    expect(collector.stored.size).toBe(1);
    expect(queue.size()).toBe(0);
  });

  test.each([408, 500, 502])('retries HTTP %i with backoff', async (status) => {
    const collector = fakeCollector([status]);
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    await queue.flush();
    expect(queue.size()).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(queue.size()).toBe(0);
  });

  test('waits as long as Retry-After says on 429 and 503, capped', async () => {
    const collector = fakeCollector([{ status: 429, retryAfter: '7' }, { status: 503, retryAfter: '100000' }]);
    const queue = start({ fetch: collector.fetch }, { maxRetryAfter: 60000 });
    queue.enqueue(click(1));
    await queue.flush();
    await vi.advanceTimersByTimeAsync(6999);
    expect(collector.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(59999);
    expect(collector.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(3);
    expect(queue.size()).toBe(0);
  });

  test('adds up to 10 % jitter by default', async () => {
    const collector = fakeCollector(['network']);
    const queue = createEventQueue({ url: URL_, widgetId: 'demo' }, { fetch: collector.fetch, random: () => 0.5 });
    queues.push(queue);
    queue.enqueue(click(1));
    await queue.flush();
    await vi.advanceTimersByTimeAsync(2099);
    expect(collector.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(2);
  });

  test('20 queued clicks, 2 failures, final success: 20 delivered exactly once', async () => {
    const collector = fakeCollector([503, 'network']);
    const queue = start({ fetch: collector.fetch });
    for (let i = 0; i < 20; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 5000);
    expect(collector.stored.size).toBe(20);
    const lastRequests = collector.requests.slice(2);
    expect(lastRequests.flatMap((r) => r.batch.events)).toHaveLength(20);
    expect(queue.size()).toBe(0);
    expect(stored()).toEqual([]);
  });

  test('maxRetries stops the retry clock but keeps the events for the next trigger', async () => {
    const collector = fakeCollector(['network', 'network']);
    const queue = start({ fetch: collector.fetch }, { maxRetries: 1 });
    queue.enqueue(click(1));
    await queue.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(collector.requests).toHaveLength(2);
    expect(queue.size()).toBe(1);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.size()).toBe(0);
  });
});

describe('answers', () => {
  test('removes accepted and duplicates, drops failed with a logged reason, keeps unmentioned ids', async () => {
    const log = Object.assign(vi.fn(), { enabled: true });
    const collector = fakeCollector([
      (batch) => {
        const [a, b, c] = batch.events.map((e) => e.id);
        return { accepted: [a], duplicates: [b], failed: [{ id: c, reason: 'too_old' }] };
      },
    ]);
    const queue = start({ fetch: collector.fetch, log });
    for (let i = 0; i < 4; i++) queue.enqueue(click(i));
    const ids = stored().map((e) => e.id);
    await queue.flush();
    expect(log).toHaveBeenCalledWith(`refused_too_old ${ids[2]} too_old`);
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]?.batch.events.map((e) => e.id)).toEqual([ids[3]]);
    expect(queue.size()).toBe(0);
  });

  test('a failure reported by position (#i) drops that event', async () => {
    const collector = fakeCollector([() => ({ accepted: [], duplicates: [], failed: [{ id: '#0', reason: 'invalid: id' }] })]);
    const queue = start({ fetch: collector.fetch });
    queue.enqueue({ ...click(1), id: '_bad' });
    await queue.flush();
    expect(queue.size()).toBe(0);
  });

  test('a poison event refused with 400 is isolated by splitting and dropped; the rest go through', async () => {
    const collector = fakeCollector();
    const poison = 'poison';
    const base = collector.fetch;
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (String(init.body).includes(poison)) {
        collector.requests.push({ url, batch: JSON.parse(String(init.body)), keepalive: false });
        return { status: 400, ok: false, headers: new Headers(), json: async () => ({ error: 'bad envelope' }) } as Response;
      }
      return base(url, init);
    });
    const queue = start({ fetch: fetch as unknown as typeof globalThis.fetch });
    for (let i = 0; i < 8; i++) queue.enqueue(i === 5 ? { ...click(i), id: poison } : click(i));
    await queue.flush();
    expect(queue.size()).toBe(0);
    expect(collector.stored.size).toBe(7);
    expect(collector.stored.has(poison)).toBe(false);
  });

  test('a 413 splits the batch in halves', async () => {
    const collector = fakeCollector([413]);
    const queue = start({ fetch: collector.fetch });
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests.map((r) => r.batch.events.length)).toEqual([10, 5, 5]);
    expect(queue.size()).toBe(0);
  });
});

describe('persistence', () => {
  test('an event is in localStorage before enqueue returns and leaves when confirmed (purge)', async () => {
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    expect(stored()).toHaveLength(1);
    await queue.flush();
    expect(Object.keys(localStorage).filter((key) => key.startsWith('srv_click_queue'))).toEqual([]);
  });

  test('survives a simulated reload: offline clicks, destroy, new queue, online → each delivered once', async () => {
    setOnline(false);
    const collector = fakeCollector();
    const first = start({ fetch: collector.fetch });
    for (let i = 0; i < 20; i++) first.enqueue(click(i));
    window.dispatchEvent(new Event('pagehide'));
    first.destroy();
    expect(collector.requests).toHaveLength(0);
    const second = start({ fetch: collector.fetch });
    expect(second.size()).toBe(20);
    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests).toHaveLength(1);
    expect(collector.stored.size).toBe(20);
    expect(stored()).toEqual([]);
  });

  test('holds everything while navigator.onLine is false, even when a batch is full', async () => {
    setOnline(false);
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch });
    for (let i = 0; i < 12; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collector.requests).toHaveLength(0);
    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.stored.size).toBe(12);
  });

  test('drops the oldest events beyond maxEvents and counts them', () => {
    setOnline(false);
    const queue = start({ fetch: fakeCollector().fetch }, { maxEvents: 5 });
    for (let i = 0; i < 8; i++) queue.enqueue({ ...click(i), id: `e${i}` });
    expect(stored().map((e) => e.id)).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
    expect(queue.dropped()).toBe(3);
  });

  test('drops the oldest events beyond maxBytes', () => {
    setOnline(false);
    const queue = start({ fetch: fakeCollector().fetch }, { maxBytes: 1000 });
    for (let i = 0; i < 20; i++) queue.enqueue(click(i));
    expect(localStorage.getItem(Object.keys(localStorage)[0] as string)?.length).toBeLessThanOrEqual(1000);
    expect(queue.dropped()).toBeGreaterThan(0);
    expect(queue.size() + queue.dropped()).toBe(20);
  });

  test('QuotaExceededError switches to memory and keeps working', async () => {
    const collector = fakeCollector();
    let full = false;
    const real = localStorage;
    const storage = {
      get length() { return real.length; },
      key: (i: number) => real.key(i),
      getItem: (k: string) => real.getItem(k),
      removeItem: (k: string) => real.removeItem(k),
      clear: () => real.clear(),
      setItem: (k: string, v: string) => {
        if (full) throw new DOMException('full', 'QuotaExceededError');
        real.setItem(k, v);
      },
    } as Storage;
    const queue = start({ fetch: collector.fetch, storage });
    queue.enqueue(click(1));
    full = true;
    queue.enqueue(click(2));
    expect(queue.size()).toBe(2);
    expect(stored()).toEqual([]);
    await queue.flush();
    expect(collector.stored.size).toBe(2);
  });

  test('works in memory when storage is unavailable', async () => {
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch, storage: null });
    queue.enqueue(click(1));
    expect(queue.size()).toBe(1);
    expect(localStorage.length).toBe(0);
    await queue.flush();
    expect(collector.stored.size).toBe(1);
  });
});

describe('hide and unload', () => {
  test('pagehide sends the pending batch with keepalive and keeps it until confirmed', async () => {
    const collector = fakeCollector(['network']);
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests[0]?.keepalive).toBe(true);
    expect(queue.size()).toBe(1);
  });

  test('visibilitychange to hidden sends at once', async () => {
    const collector = fakeCollector();
    const queue = start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests).toHaveLength(1);
    expect(queue.size()).toBe(0);
  });

  test('destroy leaves no timers or listeners and keeps pending events stored', async () => {
    const collector = fakeCollector();
    // Memory storage: jsdom's localStorage schedules timers of its own (storage events).
    const storage = createMemoryStorage();
    await vi.runAllTimersAsync();
    const queue = start({ fetch: collector.fetch, storage });
    queue.enqueue(click(1));
    expect(vi.getTimerCount()).toBe(2);
    queue.destroy();
    expect(vi.getTimerCount()).toBe(0);
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(collector.requests).toHaveLength(0);
    expect(storage.length).toBe(1);
  });
});

describe('the two configured queues', () => {
  test('clicks and analytics go to their endpoints and keys', async () => {
    const collector = fakeCollector();
    const clicks = createClickQueue({ collectorUrl: 'https://c.example/', widgetId: 'demo' }, { fetch: collector.fetch });
    const analytics = createAnalyticsQueue({ collectorUrl: 'https://c.example', widgetId: 'demo' }, { fetch: collector.fetch });
    queues.push(clicks, analytics);
    clicks.enqueue(click(1));
    analytics.enqueue({ name: 'widget_opened', sessionId: 's' });
    expect(Object.keys(localStorage).map((key) => key.split(':')[0]).sort()).toEqual(['srv_click_queue', 'srv_event_queue']);
    await Promise.all([clicks.flush(), analytics.flush()]);
    expect(collector.requests.map((r) => r.url).sort()).toEqual([
      'https://c.example/api/analytics/events/batch',
      'https://c.example/api/track/click/batch',
    ]);
  });
});
