import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from '../../../lib/embed/queue/config';
import { click } from './fake-collector';
import { useQueueHarness } from './queue-harness';

type Batch = { events: { id: string }[] };

/**
 * A collector behind a path that holds requests: it stores each batch at once (the commit
 * happens) but its answer comes only after `answerAfter` ms, or never. Like a real `fetch`,
 * the request rejects with an `AbortError` as soon as its signal aborts, and a body still
 * to come is never read.
 */
function slowCollector(answerAfter: (attempt: number) => number | 'never', bodyStalls = false) {
  const stored = new Map<string, number>();
  const requests: Batch[] = [];
  const fetch = vi.fn((_url: string, init: RequestInit) => {
    const batch = JSON.parse(String(init.body)) as Batch;
    const attempt = requests.push(batch);
    const accepted: string[] = [];
    const duplicates: string[] = [];
    for (const { id } of batch.events) {
      (stored.has(id) ? duplicates : accepted).push(id);
      stored.set(id, (stored.get(id) ?? 0) + 1);
    }
    const signal = init.signal as AbortSignal;
    const abortable = <T>(settle: (resolve: (value: T) => void) => void): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        settle(resolve);
      });
    const delay = answerAfter(attempt);
    const body = { accepted, duplicates, failed: [] };
    const response = {
      status: 200,
      ok: true,
      headers: new Headers(),
      json: () => (bodyStalls && attempt === 1 ? abortable<unknown>(() => undefined) : Promise.resolve(body)),
    } as unknown as Response;
    return abortable<Response>((resolve) => {
      if (delay === 0) resolve(response);
      else if (delay !== 'never') setTimeout(() => resolve(response), delay);
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, stored };
}

const { start: startQueue } = useQueueHarness();
const start = (collector: { fetch: typeof globalThis.fetch }, options: Record<string, unknown> = {}) => startQueue({ fetch: collector.fetch }, options);

describe('the deadline of a collector request (requestTimeout)', () => {
  test('defaults to 10 s, as the queue settings table of WIDGET.md says, like every numeric default there', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/WIDGET.md'), 'utf8');
    const documented = new Map(
      [...doc.matchAll(/^\| `(\w+)` \| `?(\d+(?:\.\d+)?|Infinity)\b/gm)].map(([, name, value]) => [name, Number(value)]),
    );
    expect(documented.get('requestTimeout')).toBe(10_000);
    const numeric = Object.entries(DEFAULT_QUEUE_CONFIG).filter(([, value]) => typeof value === 'number');
    expect(numeric.length).toBeGreaterThan(5);
    for (const [setting, value] of numeric) expect({ setting, value: documented.get(setting) }).toEqual({ setting, value });
  });

  test('a request that is never answered is aborted after 10 s and sent again after the backoff, with the same ids', async () => {
    const collector = slowCollector((attempt) => (attempt === 1 ? 'never' : 0));
    const queue = start(collector);
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(collector.requests).toHaveLength(1);
    // Aborted at 10 s, then the first backoff (2 s) before the resend.
    await vi.advanceTimersByTimeAsync(1 + 1_999);
    expect(collector.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]?.events.map((event) => event.id)).toEqual(collector.requests[0]?.events.map((event) => event.id));
    expect(queue.size()).toBe(0);
  });

  test('an answer that comes after the deadline changes nothing: the resend is reported as duplicates and each event is kept once', async () => {
    const collector = slowCollector((attempt) => (attempt === 1 ? 15_000 : 0));
    const queue = start(collector, { requestTimeout: 3_000 });
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(3_000 + 2_000);
    expect(collector.requests).toHaveLength(2);
    expect(queue.size()).toBe(0);
    // The first answer would have come now: nothing is left to change.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(collector.requests).toHaveLength(2);
    expect([...collector.stored.values()].every((times) => times === 2)).toBe(true);
    expect(collector.stored.size).toBe(10);
  });

  test('a 200 whose body never arrives is aborted by the same deadline and retried', async () => {
    const collector = slowCollector(() => 0, true);
    const queue = start(collector, { requestTimeout: 4_000 });
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(3_999);
    expect(queue.size()).toBe(10);
    await vi.advanceTimersByTimeAsync(1 + 2_000);
    expect(collector.requests).toHaveLength(2);
    expect(queue.size()).toBe(0);
  });

  test('while one request hangs, nothing else is blocked for longer than the deadline', async () => {
    const collector = slowCollector((attempt) => (attempt === 1 ? 'never' : 0));
    const queue = start(collector, { requestTimeout: 1_000, initialRetryDelay: 500 });
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 10; i < 15; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(1_000 + 500);
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]?.events).toHaveLength(15);
    expect(queue.size()).toBe(0);
  });

  test('destroy() aborts the request in flight; its events stay stored for the next page', async () => {
    const collector = slowCollector(() => 'never');
    const queue = start(collector);
    for (let i = 0; i < 10; i++) queue.enqueue(click(i));
    await vi.advanceTimersByTimeAsync(0);
    queue.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collector.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    const held = Object.keys(localStorage).filter((key) => key.startsWith('srv_click_queue:'));
    expect(held).toHaveLength(1);
    expect((JSON.parse(localStorage.getItem(held[0] as string) as string) as { e: unknown[] }).e).toHaveLength(10);
  });
});
