import { expect, test, vi } from 'vitest';
import { click } from './fake-collector';
import { useQueueHarness } from './queue-harness';

type Batch = { events: { id: string }[] };

const harness = useQueueHarness();


test('a full batch that arrives while a request fails waits for the Retry-After the answer asks for', async () => {
  const sent: { at: number; batch: Batch }[] = [];
  // Each answer takes 100 ms; the first is 503 with Retry-After: 10, the others accept.
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const batch = JSON.parse(String(init.body)) as Batch;
    sent.push({ at: Date.now(), batch });
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (sent.length === 1) return { status: 503, ok: false, headers: new Headers({ 'Retry-After': '10' }), json: async () => ({}) } as Response;
    return { status: 200, ok: true, headers: new Headers(), json: async () => ({ accepted: batch.events.map((e) => e.id), duplicates: [], failed: [] }) } as Response;
  });
  const queue = harness.start({ fetch: fetch as unknown as typeof globalThis.fetch });
  const start = Date.now();
  for (let i = 0; i < 10; i++) queue.enqueue(click(i));
  await vi.advanceTimersByTimeAsync(50);
  expect(sent).toHaveLength(1);
  // Ten more clicks while the first request is out: a full batch, a trigger.
  for (let i = 10; i < 20; i++) queue.enqueue(click(i));
  await vi.advanceTimersByTimeAsync(9_000);
  expect(sent).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(sent).toHaveLength(2);
  expect((sent[1] as { at: number }).at - start).toBeGreaterThanOrEqual(10_100);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(queue.size()).toBe(0);
});
