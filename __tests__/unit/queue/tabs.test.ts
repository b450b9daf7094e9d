import { describe, expect, test, vi } from 'vitest';
import type { EventQueueDeps } from '../../../lib/embed/queue/event-queue';
import type { Locks } from '../../../lib/embed/queue/tab-store';
import { click, fakeCollector } from './fake-collector';
import { useQueueHarness } from './queue-harness';

const harness = useQueueHarness();
const tab = (deps: EventQueueDeps) => harness.start(deps);
const keys = () => Object.keys(localStorage).filter((key) => key.startsWith('srv_click_queue:'));

/** A fake `navigator.locks`: exclusive named locks, `ifAvailable`, release when the callback's promise settles. */
function fakeLocks(): Locks & { held: Set<string> } {
  const held = new Set<string>();
  const request = (async (name: string, optionsOrCallback: unknown, maybeCallback?: unknown) => {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as (lock: unknown) => unknown;
    const options = (typeof optionsOrCallback === 'function' ? {} : optionsOrCallback) as { ifAvailable?: boolean };
    if (held.has(name)) {
      if (options.ifAvailable) return callback(null);
      throw new Error('the fake does not queue waiters');
    }
    held.add(name);
    try {
      return await callback({ name });
    } finally {
      held.delete(name);
    }
  }) as unknown as Locks['request'];
  return { request, held };
}


describe('several tabs, heartbeat fallback (no Web Locks)', () => {
  test('each tab writes and sends only its own key: no duplicate sends', async () => {
    const collector = fakeCollector();
    const a = tab({ fetch: collector.fetch });
    const b = tab({ fetch: collector.fetch });
    for (let i = 0; i < 5; i++) a.enqueue(click(i));
    for (let i = 0; i < 5; i++) b.enqueue(click(10 + i));
    expect(keys()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5000);
    const sent = collector.requests.flatMap((r) => r.batch.events.map((e) => e.id));
    expect(sent).toHaveLength(10);
    expect(new Set(sent).size).toBe(10);
    expect(keys()).toEqual([]);
  });

  test('a live tab keeps its events while its heartbeat is fresh', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const a = tab({ fetch: fakeCollector().fetch });
    a.enqueue(click(1));
    const b = tab({ fetch: fakeCollector().fetch });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(a.size()).toBe(1);
    expect(b.size()).toBe(0);
  });

  test('a tab that unloaded (pagehide) is adopted at once, ids unchanged', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const a = tab({ fetch: fakeCollector().fetch });
    a.enqueue({ ...click(1), id: 'keep-me' });
    window.dispatchEvent(new Event('pagehide'));
    a.destroy();
    const b = tab({ fetch: fakeCollector().fetch });
    expect(b.size()).toBe(1);
    expect(keys()).toHaveLength(1);
    expect(JSON.parse(localStorage.getItem(keys()[0] as string) as string).e[0].id).toBe('keep-me');
  });

  test('a tab that vanished without pagehide is adopted once its heartbeat is 2 min old', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const a = tab({ fetch: fakeCollector().fetch });
    a.enqueue(click(1));
    a.destroy(); // a crash: no pagehide, the heartbeat just stops
    const b = tab({ fetch: fakeCollector().fetch });
    expect(b.size()).toBe(0);
    await vi.advanceTimersByTimeAsync(125_000);
    expect(b.size()).toBe(1);
    expect(keys()).toHaveLength(1);
  });
});

describe('several tabs, Web Locks', () => {
  test('a tab holding its lock is never adopted; once it lets go, its events are', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const locks = fakeLocks();
    const a = tab({ fetch: fakeCollector().fetch, locks });
    await vi.advanceTimersByTimeAsync(0);
    a.enqueue(click(1));
    const b = tab({ fetch: fakeCollector().fetch, locks });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(a.size()).toBe(1);
    expect(b.size()).toBe(0);
    a.destroy(); // the page went away: the browser frees its lock
    await vi.advanceTimersByTimeAsync(5000);
    expect(b.size()).toBe(1);
    expect(keys()).toHaveLength(1);
  });

  test('adopted events are delivered once', async () => {
    const collector = fakeCollector(['network']);
    const locks = fakeLocks();
    const a = tab({ fetch: collector.fetch, locks });
    for (let i = 0; i < 3; i++) a.enqueue(click(i));
    await a.flush();
    a.destroy();
    const b = tab({ fetch: collector.fetch, locks });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(b.size()).toBe(0);
    expect(collector.stored.size).toBe(3);
    expect(keys()).toEqual([]);
  });
});
