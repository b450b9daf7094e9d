import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createDeliveryHealth } from '../../../lib/embed/queue/delivery-health';
import type { DeliveryHealth } from '../../../lib/embed/queue/delivery-health';
import { DELIVERY_EVENT, DELIVERY_REPORT_INTERVAL_MS } from '../../../lib/protocol/delivery-health';
import { deliveryReportSchema } from '../../../lib/protocol/delivery-health-schema';
import { click, fakeCollector } from './fake-collector';
import { useQueueHarness } from './queue-harness';

const harness = useQueueHarness();

type Sent = { id: string; name?: string; properties?: Record<string, number> };
/** The `$delivery` events of the requests so far, in order. */
const reportsIn = (requests: { batch: { events: unknown[] } }[]): Sent[] =>
  requests.flatMap((request) => (request.batch.events as Sent[]).filter((event) => event.name === DELIVERY_EVENT));

let health: DeliveryHealth;
beforeEach(() => {
  vi.setSystemTime(1_750_000_000_000);
  health = createDeliveryHealth();
});

describe('delivery health counters', () => {
  test('count drops by bound, retries, refusals by reason, and ride the next batch as one valid $delivery event', async () => {
    const collector = fakeCollector([
      503,
      (batch) => ({
        // The report first, then the events: two of them refused.
        accepted: [batch.events[0], ...batch.events.slice(3)].map((event) => event?.id),
        duplicates: [],
        failed: [
          { id: batch.events[1]?.id, reason: 'too_old' },
          { id: batch.events[2]?.id, reason: 'invalid: offerId' },
        ],
      }),
    ]);
    const queue = harness.start({ fetch: collector.fetch, health, reports: true }, { maxEvents: 4 });
    for (let i = 0; i < 6; i++) queue.enqueue(click(i));
    expect(queue.dropped()).toBe(2);
    // The batch timer: the first batch carries the drops, first in the batch; a 503.
    await vi.advanceTimersByTimeAsync(5000);
    const [first] = reportsIn(collector.requests);
    expect(first?.properties).toEqual({ dropped_count: 2, oldest_ms: 5000 });
    expect(collector.requests[0]?.batch.events[0]).toEqual(first);
    // The retry, 2 s on, carries the same report; the retry itself waits for the next one.
    await vi.advanceTimersByTimeAsync(2000);
    expect(collector.requests).toHaveLength(2);
    expect(reportsIn(collector.requests)[1]).toEqual(first);

    // The refusals of that answer go in the next report, a minute later at the earliest.
    queue.enqueue(click(10));
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests).toHaveLength(3);
    expect(reportsIn(collector.requests)).toHaveLength(2);
    vi.advanceTimersByTime(DELIVERY_REPORT_INTERVAL_MS);
    queue.enqueue(click(11));
    await vi.advanceTimersByTimeAsync(5000);
    const second = reportsIn(collector.requests)[2];
    expect(second?.properties).toEqual({ retries: 1, refused_too_old: 1, refused_invalid: 1, oldest_ms: 7000 });
    for (const report of reportsIn(collector.requests)) expect(deliveryReportSchema.safeParse(report.properties).success).toBe(true);
  });

  test('counts a single event answered 400 as refused_http, and one dropped by the byte bound as dropped_bytes', async () => {
    // The report and the event: 400; split, the event alone (without the report): 400 again.
    const collector = fakeCollector([400, 400]);
    const queue = harness.start({ fetch: collector.fetch, health, reports: true }, { maxBytes: 200 });
    queue.enqueue(click(1));
    queue.enqueue(click(2));
    expect(queue.dropped()).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests.map((request) => request.batch.events.length)).toEqual([2, 1]);
    expect(queue.size()).toBe(0);
    // The next batch goes whole again, with the report still waiting for its confirmation.
    queue.enqueue(click(3));
    await vi.advanceTimersByTimeAsync(5000);
    queue.enqueue(click(4));
    await vi.advanceTimersByTimeAsync(5000);
    vi.advanceTimersByTime(DELIVERY_REPORT_INTERVAL_MS);
    queue.enqueue(click(5));
    await vi.advanceTimersByTimeAsync(5000);
    const reports = reportsIn(collector.requests);
    expect(reports.map(({ properties }) => ({ ...properties, oldest_ms: undefined }))).toEqual([
      { dropped_bytes: 1, oldest_ms: undefined },
      { dropped_bytes: 1, oldest_ms: undefined },
      { refused_http: 1, oldest_ms: undefined },
    ]);
    expect(reports[1]?.id).toBe(reports[0]?.id);
  });

  test('are reported only inside a batch being sent, never in a request of their own', async () => {
    const collector = fakeCollector([503]);
    const queue = harness.start({ fetch: collector.fetch, health, reports: true });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    expect(reportsIn(collector.requests)).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(collector.requests).toHaveLength(2);
    expect(reportsIn(collector.requests)).toHaveLength(1);
    // A retry counted now has no batch to ride: ten minutes bring no request.
    health.count('retries');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(collector.requests).toHaveLength(2);
  });

  test('stay with their report while its batch fails: the same report goes again until the collector confirms it', async () => {
    const collector = fakeCollector(['network']);
    const queue = harness.start({ fetch: collector.fetch, health, reports: true });
    health.count('dropped_count');
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    health.count('retries');
    await vi.advanceTimersByTimeAsync(2000);
    const [failed, resent] = reportsIn(collector.requests);
    expect(resent).toEqual(failed);
    expect(failed?.properties).toEqual({ dropped_count: 1, oldest_ms: 5000 });
    // Confirmed: the next report, a minute on, has only what came since.
    vi.advanceTimersByTime(DELIVERY_REPORT_INTERVAL_MS);
    queue.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(5000);
    const last = reportsIn(collector.requests)[2];
    expect(last?.id).not.toBe(failed?.id);
    expect(last?.properties).toEqual({ retries: 2, oldest_ms: 7000 });
  });

  test('report a long wait on its own, but not a short one', async () => {
    const collector = fakeCollector();
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const queue = harness.start({ fetch: collector.fetch, health, reports: true });
    queue.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(90_000);
    Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(reportsIn(collector.requests).map((report) => report.properties)).toEqual([{ oldest_ms: 90_000 }]);
    vi.advanceTimersByTime(DELIVERY_REPORT_INTERVAL_MS);
    queue.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(5000);
    expect(reportsIn(collector.requests)).toHaveLength(1);
  });

  test('are counted by a queue that does not carry reports (clicks), and reported by the one that does', async () => {
    const clicksCollector = fakeCollector([503]);
    const analyticsCollector = fakeCollector();
    const clicks = harness.start({ fetch: clicksCollector.fetch, health });
    const analytics = harness.start({ fetch: analyticsCollector.fetch, health, reports: true }, { storageKey: 'srv_event_queue' });
    clicks.enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(reportsIn(clicksCollector.requests)).toEqual([]);
    analytics.enqueue({ name: 'widget_opened', sessionId: 's1' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(reportsIn(analyticsCollector.requests).map((report) => report.properties)).toEqual([{ retries: 1, oldest_ms: 7000 }]);
  });
});
