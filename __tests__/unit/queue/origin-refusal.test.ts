import { describe, expect, test, vi } from 'vitest';
import { ORIGIN_REFUSAL_ERROR } from '../../../lib/protocol/collector';
import { createLogger } from '../../../lib/util/logger';
import { click, fakeCollector } from './fake-collector';
import { useQueueHarness } from './queue-harness';

const harness = useQueueHarness();
const REFUSAL = { status: 403, body: { error: ORIGIN_REFUSAL_ERROR } };
const storedKeys = (): string[] => Object.keys(localStorage).filter((key) => key.startsWith('srv_click_queue:'));

/** A debug logger whose lines the test reads. */
function recordingLog() {
  const lines: string[] = [];
  const log = Object.assign((message: string) => void lines.push(message), { enabled: true });
  return { log, lines };
}

describe('a 403 origin_not_allowed', () => {
  test('drops the batch once, counts it, logs why, and sends nothing more for the rest of the page view', async () => {
    const collector = fakeCollector([REFUSAL]);
    const { log, lines } = recordingLog();
    const queue = harness.start({ fetch: collector.fetch, log });
    for (let i = 0; i < 3; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests).toHaveLength(1);
    expect(queue.size()).toBe(0);
    expect(queue.refused()).toBe(3);
    expect(queue.dropped()).toBe(0);
    expect(storedKeys()).toEqual([]);
    expect(lines).toContain(`Dropped 3: ${ORIGIN_REFUSAL_ERROR}.`);

    // Later events of the page view are not kept, and no trigger sends anything.
    expect(queue.enqueue(click(3))).toBe(false);
    for (let i = 4; i < 20; i++) queue.enqueue(click(i));
    expect(queue.refused()).toBe(20);
    expect(storedKeys()).toEqual([]);
    window.dispatchEvent(new Event('online'));
    await queue.flush();
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(collector.requests).toHaveLength(1);
  });

  test('drops every event the tab held for that collector, not only the refused batch', async () => {
    const collector = fakeCollector([REFUSAL]);
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const queue = harness.start({ fetch: collector.fetch });
    for (let i = 0; i < 40; i++) queue.enqueue(click(i));
    Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.batch.events).toHaveLength(25);
    expect(queue.refused()).toBe(40);
    expect(queue.size()).toBe(0);
  });

  test('the next page view asks again, once: after the owner allows the origin, its events are delivered', async () => {
    const collector = fakeCollector([REFUSAL]);
    const first = harness.start({ fetch: collector.fetch });
    first.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.refused()).toBe(1);
    first.destroy();

    const next = harness.start({ fetch: collector.fetch });
    next.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests).toHaveLength(2);
    expect([...collector.stored]).toEqual([collector.requests[1]?.batch.events[0]?.id]);
    expect(next.refused()).toBe(0);
    expect(next.size()).toBe(0);
  });
});

describe('any other 403 is retried as before', () => {
  test.each([
    ['another error', { error: 'forbidden' }],
    ['the unregistered-widget refusal', { error: 'widget_not_registered' }],
    ['a body without error', { reason: ORIGIN_REFUSAL_ERROR }],
    ['an error that is not a string', { error: [ORIGIN_REFUSAL_ERROR] }],
    ['null', null],
  ])('with %s: backoff, same ids, nothing refused', async (_, body) => {
    const collector = fakeCollector([{ status: 403, body }]);
    const queue = harness.start({ fetch: collector.fetch });
    queue.enqueue(click(1));
    queue.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(collector.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]?.batch.events.map((event) => event.id)).toEqual(collector.requests[0]?.batch.events.map((event) => event.id));
    expect(queue.size()).toBe(0);
    expect(queue.refused()).toBe(0);
    expect(queue.enqueue(click(3))).toBe(true);
  });

  test('with a body that is not JSON: backoff, same ids, and the path counts as answered (the page may still send on hide)', async () => {
    const requests: string[] = [];
    const keepalives: boolean[] = [];
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      requests.push(String(init.body));
      keepalives.push(init.keepalive === true);
      const forbidden = requests.length === 1;
      const ids = (JSON.parse(String(init.body)) as { events: { id: string }[] }).events.map((event) => event.id);
      const json = forbidden ? () => Promise.reject(new SyntaxError('Unexpected token <')) : async () => ({ accepted: ids, duplicates: [], failed: [] });
      return { status: forbidden ? 403 : 200, ok: !forbidden, headers: new Headers(), json } as unknown as Response;
    });
    const queue = harness.start({ fetch: fetch as unknown as typeof globalThis.fetch, log: createLogger('Test', false) });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives).toEqual([false, true]);
    expect(requests[1]).toBe(requests[0]);
    expect(queue.refused()).toBe(0);
    expect(queue.size()).toBe(0);
  });

  test('with a body that never comes: read within requestTimeout, then retried as a 403', async () => {
    const requests: string[] = [];
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      requests.push(String(init.body));
      // The body stalls until the request's signal aborts it, as a real body read does.
      const json = () =>
        new Promise((_resolve, reject) => {
          (init.signal as AbortSignal).addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        });
      return { status: 403, ok: false, headers: new Headers(), json } as unknown as Response;
    });
    const queue = harness.start({ fetch: fetch as unknown as typeof globalThis.fetch }, { requestTimeout: 1000 });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests).toHaveLength(1);
    // Deadline at 1 s, then the first backoff step of 2 s.
    await vi.advanceTimersByTimeAsync(2999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect(queue.refused()).toBe(0);
    expect(queue.size()).toBe(1);
  });
});
