import { describe, expect, test, vi } from 'vitest';
import { click } from './fake-collector';
import { useQueueHarness } from './queue-harness';

type Batch = { events: { id: string }[] };
type Mode = 'hang' | 'network' | 'accept' | 503;

/**
 * A path whose behaviour the test switches: `hang` takes the request and never answers
 * (the request rejects only when its signal aborts, as a real `fetch` does), `network`
 * fails without an answer (as a refused connection, or a request the browser cancels as the
 * page unloads), `accept` answers 200 with every id accepted, `503` answers 503.
 */
function switchablePath() {
  let mode: Mode = 'accept';
  const requests: { batch: Batch; keepalive: boolean }[] = [];
  const fetch = vi.fn((_url: string, init: RequestInit) => {
    const batch = JSON.parse(String(init.body)) as Batch;
    requests.push({ batch, keepalive: init.keepalive === true });
    if (mode === 'network') return Promise.reject(new TypeError('Failed to fetch'));
    if (mode === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        (init.signal as AbortSignal).addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    }
    const status: 'accept' | 503 = mode;
    const body = status === 'accept' ? { accepted: batch.events.map((event) => event.id), duplicates: [], failed: [] } : { error: 'unavailable' };
    return Promise.resolve({ status: status === 'accept' ? 200 : status, ok: status === 'accept', headers: new Headers(), json: async () => body } as Response);
  });
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    requests,
    set: (next: Mode) => void (mode = next),
  };
}

const harness = useQueueHarness();
const start = (path: { fetch: typeof globalThis.fetch }) =>
  harness.start({ fetch: path.fetch }, { requestTimeout: 1000, initialRetryDelay: 500, maxBatchDelay: 100 });
const keepalives = (path: ReturnType<typeof switchablePath>) => path.requests.filter((request) => request.keepalive).length;


describe('hiding the page on a path that may hang', () => {
  test('sends no keepalive request while a request waits for its answer; the events stay stored for the next page', async () => {
    const path = switchablePath();
    path.set('hang');
    const queue = start(path);
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(path.requests).toHaveLength(1);
    queue.enqueue(click(2));
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives(path)).toBe(0);
    expect(queue.size()).toBe(2);
  });

  test('sends no keepalive request after a request ran out of time, and sends one again once a request is answered', async () => {
    const path = switchablePath();
    path.set('hang');
    const queue = start(path);
    queue.enqueue(click(1));
    // Sent at 100 ms, aborted at its 1000 ms deadline; the retry waits 500 ms.
    await vi.advanceTimersByTimeAsync(1200);
    expect(path.requests).toHaveLength(1);
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives(path)).toBe(0);

    path.set('accept');
    await vi.advanceTimersByTimeAsync(500);
    expect(queue.size()).toBe(0);
    queue.enqueue(click(2));
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives(path)).toBe(1);
    expect(queue.size()).toBe(0);
  });

  test('sends no keepalive request after a request that got no answer at all (network error, or cancelled as the page unloads)', async () => {
    const path = switchablePath();
    path.set('network');
    const queue = start(path);
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(path.requests).toHaveLength(1);
    path.set('accept');
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives(path)).toBe(0);
    expect(queue.size()).toBe(1);
  });

  test('still sends the keepalive request after an answered failure (503): such a path holds no connection', async () => {
    const path = switchablePath();
    path.set(503);
    const queue = start(path);
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(path.requests).toHaveLength(1);
    path.set('accept');
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(keepalives(path)).toBe(1);
    expect(queue.size()).toBe(0);
  });
});

describe('events taken over from a page that is gone', () => {
  test('leave at once, not after maxBatchDelay', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const path = switchablePath();
    const gone = start(path);
    gone.enqueue(click(1));
    window.dispatchEvent(new Event('pagehide'));
    gone.destroy();
    Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
    const next = start(path);
    await vi.advanceTimersByTimeAsync(0);
    expect(path.requests).toHaveLength(1);
    expect(next.size()).toBe(0);
  });
});
