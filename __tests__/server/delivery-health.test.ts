import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyGrant } from '../../server';
import { BRIDGE_EVENT, DELIVERY_EVENT } from '../../lib/protocol/delivery-health';
import { deliveryHealthAnswerSchema } from '../../lib/protocol/delivery-health-schema';
import type { DeliveryHealthAnswer } from '../../lib/protocol/delivery-health-schema';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { bucketBound, bucketOf } from '../../server/store/analytics/delivery-health';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, batch, uuidv7 } from '../support/events';
import { post, send } from './support/http';
import { listenApp } from './support/widget-app';
import type { ListeningApp } from './support/widget-app';

const KEY = 'acme-all-key-0123456789';
const KEYS: ApiKeyGrant[] = [{ key: KEY, owner: 'acme', widgets: '*' }];
const EVENTS = '/api/analytics/events/batch';
const WIDGET = 'health';

/** A `$delivery` report as the host queue sends it: no session id, numbers only. */
const delivery = (properties: Record<string, unknown>, timestamp = Date.now()) => ({ id: uuidv7(), timestamp, name: DELIVERY_EVENT, properties });
const bridge = (properties: Record<string, unknown>, timestamp = Date.now()) =>
  analytics({ id: uuidv7(), name: BRIDGE_EVENT, category: 'lifecycle', properties, timestamp });

describe.each(ENGINES)('delivery health on $name', ({ create }) => {
  let fixture: EngineFixture;
  let app: ListeningApp;

  const fold = async (): Promise<void> => {
    while ((await app.store.advanceAnalytics()).more);
  };
  const read = async (query = ''): Promise<DeliveryHealthAnswer> => {
    const answer = await send(`${app.url}/api/widgets/${WIDGET}/analytics/delivery${query}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(answer.status).toBe(200);
    return deliveryHealthAnswerSchema.parse(answer.json);
  };

  beforeAll(() => {
    fixture = create();
  });
  afterEach(async () => {
    await app.close();
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('sums the reports per day and over the range, and combines their percentiles from histograms', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS, maxEventAgeMs: 3 * DAY_MS });
    const today = Date.now();
    const yesterday = today - DAY_MS;
    const answer = await post(
      app.url,
      EVENTS,
      batch(
        [
          delivery({ dropped_count: 3, retries: 2, refused_too_old: 1, oldest_ms: 4000 }),
          delivery({ dropped_bytes: 1, retries: 1, refused_http: 1, refused_invalid: 2, oldest_ms: 90_000 }),
          delivery({ retries: 5, refused_other: 1, oldest_ms: 1000 }, yesterday),
          bridge({ disconnects: 1, samples: 12, p50_ms: 8, p99_ms: 40 }),
          bridge({ disconnects: 0, samples: 12, p50_ms: 10, p99_ms: 900 }),
          bridge({ disconnects: 2, samples: 0 }, yesterday),
        ],
        WIDGET,
      ),
    );
    expect(answer.status).toBe(200);
    expect((answer.json as { failed: unknown[] }).failed).toEqual([]);
    await fold();

    const health = await read(`?from=${isoDay(Math.floor(yesterday / DAY_MS))}&to=${isoDay(Math.floor(today / DAY_MS))}`);
    const [first, second] = health.days;
    expect(health.days).toHaveLength(2);
    expect(second).toMatchObject({
      reports: 2,
      dropped: { count: 3, bytes: 1 },
      refused: { http: 1, tooOld: 1, inFuture: 0, tooLarge: 0, invalid: 2, other: 0 },
      retries: 3,
      oldestPendingMs: { max: 90_000, p95: bucketBound(bucketOf(90_000)) },
      bridge: { reports: 2, disconnects: 1, roundTripP50Ms: bucketBound(bucketOf(8)), roundTripP99Ms: bucketBound(bucketOf(900)) },
    });
    expect(first).toMatchObject({ reports: 1, retries: 5, refused: { other: 1 }, oldestPendingMs: { max: 1000 }, bridge: { reports: 1, disconnects: 2, roundTripP50Ms: null } });
    expect(health.total).toMatchObject({ reports: 3, retries: 8, oldestPendingMs: { max: 90_000 }, bridge: { reports: 3, disconnects: 3 } });
    // A bucket's bound is within √2 above what was reported.
    expect(second?.bridge.roundTripP99Ms).toBeGreaterThanOrEqual(900);
    expect(second?.bridge.roundTripP99Ms).toBeLessThanOrEqual(900 * Math.SQRT2 + 1);
  });

  it('keeps the reports out of the summary, the trends and the top events', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS });
    const visit = analytics({ id: uuidv7(), name: 'widget_opened', sessionId: 'visitor-1', anonymousId: 'visitor-1' });
    await post(app.url, EVENTS, batch([visit, delivery({ retries: 1 }), bridge({ disconnects: 1, samples: 3, p50_ms: 5, p99_ms: 9 })], WIDGET));
    await fold();
    const headers = { authorization: `Bearer ${KEY}` };
    const summary = (await send(`${app.url}/api/analytics/widget/${WIDGET}/summary`, { headers })).json as { events: number; sessions: number; visitors: number };
    expect(summary).toMatchObject({ events: 1, sessions: 1, visitors: 1 });
    const top = (await send(`${app.url}/api/analytics/widget/${WIDGET}/events`, { headers })).json as { events: { name: string }[] };
    expect(top.events.map((event) => event.name)).toEqual(['widget_opened']);
    // Kept as raw events all the same.
    expect((await app.store.listEvents({ widgetId: WIDGET })).map((row) => row.name).sort()).toEqual([BRIDGE_EVENT, DELIVERY_EVENT, 'widget_opened'].sort());
    expect((await read()).total).toMatchObject({ reports: 1, retries: 1, bridge: { reports: 1, disconnects: 1 } });
  });

  it('refuses a malformed report as one failed event, and stores the rest of the batch', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS });
    const good = delivery({ retries: 1 });
    const unknownKey = delivery({ retries: 1, lost_in_space: 1 });
    const negative = delivery({ dropped_count: -1 });
    const fraction = bridge({ disconnects: 0.5, samples: 1 });
    const otherName = analytics({ id: uuidv7(), name: '$mystery', properties: {} });
    const objectKey = analytics({ id: uuidv7(), name: 'constructor', properties: {} });
    const visit = analytics({ id: uuidv7(), name: 'widget_opened' });
    const answer = await post(app.url, EVENTS, batch([good, unknownKey, negative, fraction, otherName, objectKey, visit], WIDGET));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      // Another `$` name, or a name that is an object's own key elsewhere, is an ordinary event.
      accepted: [good.id, otherName.id, objectKey.id, visit.id],
      duplicates: [],
      failed: [
        { id: unknownKey.id, reason: 'invalid: properties' },
        { id: negative.id, reason: 'invalid: properties.dropped_count' },
        { id: fraction.id, reason: 'invalid: properties.disconnects' },
      ],
    });
    await fold();
    expect((await read()).total).toMatchObject({ reports: 1, retries: 1 });
  });

  it('counts a report sent twice once', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS });
    const report = delivery({ retries: 4 });
    await post(app.url, EVENTS, batch([report], WIDGET));
    const again = await post(app.url, EVENTS, batch([report], WIDGET));
    expect(again.json).toMatchObject({ duplicates: [report.id] });
    await fold();
    expect((await read()).total.retries).toBe(4);
  });

  it('needs a key granted the widget', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS });
    expect((await send(`${app.url}/api/widgets/${WIDGET}/analytics/delivery`)).status).toBe(401);
  });
});
