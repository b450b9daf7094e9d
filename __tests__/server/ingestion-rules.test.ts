import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { CollectorOptions, EventStore, RunningCollector } from '../../server';
import { CollectorError } from '../../server';
import { sqliteFixture } from './support/engines';
import { batch, click, clicks, uuidv7 } from '../support/events';
import { post, send } from './support/http';

const CLICK_BATCH = '/api/track/click/batch';
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const fixture = sqliteFixture();
const running: RunningCollector[] = [];

async function collector(options: CollectorOptions = {}, store?: EventStore): Promise<RunningCollector> {
  const started = await startCollector(
    { port: 0, databaseUrl: await fixture.freshDatabaseUrl(), logLevel: 'silent', now: () => NOW, ...options },
    store ? { store } : {},
  );
  running.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await fixture.teardown();
});

describe('per-event rules', () => {
  let c: RunningCollector;
  beforeAll(async () => {
    c = await startCollector({ port: 0, databaseUrl: await fixture.freshDatabaseUrl(), logLevel: 'silent', now: () => NOW });
  });
  afterAll(async () => {
    await c.close();
  });

  it('fails events older than the max age as too_old and keeps the one just inside it', async () => {
    const old = click({ timestamp: NOW - 24 * 3600_000 - 1 });
    const edge = click({ timestamp: NOW - 24 * 3600_000 });
    const answer = await post(c.url, CLICK_BATCH, batch([old, edge]));
    expect(answer.json).toEqual({ accepted: [edge.id], duplicates: [], failed: [{ id: old.id, reason: 'too_old' }] });
  });

  it('fails events more than 5 minutes in the future as in_future', async () => {
    const future = click({ timestamp: NOW + 5 * 60_000 + 1 });
    const skewed = click({ timestamp: NOW + 5 * 60_000 });
    const answer = await post(c.url, CLICK_BATCH, batch([future, skewed]));
    expect(answer.json).toEqual({ accepted: [skewed.id], duplicates: [], failed: [{ id: future.id, reason: 'in_future' }] });
  });

  it('fails an event over the per-event size cap as too_large without sinking its neighbour', async () => {
    const big = click({ timestamp: NOW, buttonVariantId: 'v', extra: 'x'.repeat(9000) });
    const fine = click({ timestamp: NOW });
    const answer = await post(c.url, CLICK_BATCH, batch([big, fine]));
    expect(answer.json).toEqual({ accepted: [fine.id], duplicates: [], failed: [{ id: big.id, reason: 'too_large' }] });
  });

  it('reports events without a usable id by their position, as #index', async () => {
    const fine = click({ timestamp: NOW });
    const answer = await post(c.url, CLICK_BATCH, batch([click({ id: undefined, timestamp: NOW }), fine, 'not an event', click({ id: '#1', timestamp: NOW })]));
    expect(answer.json).toEqual({
      accepted: [fine.id],
      duplicates: [],
      failed: [
        { id: '#0', reason: 'invalid: id' },
        { id: '#2', reason: 'invalid: id' },
        { id: '#3', reason: 'invalid: id' },
      ],
    });
  });

  it('names the first invalid field, nested ones by path', async () => {
    const noSession = click({ timestamp: NOW, sessionId: '' });
    const answer = await post(c.url, '/api/analytics/events/batch', batch([
      { id: uuidv7(), name: 'x', sessionId: 's', timestamp: NOW, properties: { a: { b: { c: { d: { e: 1 } } } } } },
      { id: 'a1', name: 'x', sessionId: 's', timestamp: NOW, context: { utm: { source: 5 } } },
    ]));
    expect((answer.json as { failed: { reason: string }[] }).failed.map((f) => f.reason)).toEqual(['invalid: properties.a.b.c.d', 'invalid: context.utm.source']);
    const clickAnswer = await post(c.url, CLICK_BATCH, batch([noSession]));
    expect(clickAnswer.json).toEqual({ accepted: [], duplicates: [], failed: [{ id: noSession.id, reason: 'invalid: sessionId' }] });
  });

  it('stores an id repeated within one batch once and answers the repeat as a duplicate', async () => {
    const one = click({ timestamp: NOW });
    const answer = await post(c.url, CLICK_BATCH, batch([one, one]));
    expect(answer.json).toEqual({ accepted: [one.id], duplicates: [one.id], failed: [] });
  });
});

describe('whole-request errors', () => {
  it('answers 400 with a reason for a body that is not JSON', async () => {
    const c = await collector();
    const answer = await post(c.url, CLICK_BATCH, '{"widgetId": "demo", "events": [', { contentType: 'application/json' });
    expect(answer).toMatchObject({ status: 400, json: { error: 'body is not valid JSON' } });
  });

  it('answers 400 naming the field for a bad envelope', async () => {
    const c = await collector();
    expect((await post(c.url, CLICK_BATCH, { events: [] })).json).toEqual({ error: expect.stringMatching(/^bad envelope: widgetId/) });
    expect((await post(c.url, CLICK_BATCH, { widgetId: 'demo', events: {} })).json).toEqual({ error: expect.stringMatching(/^bad envelope: events/) });
    expect((await post(c.url, CLICK_BATCH, [1, 2])).status).toBe(400);
  });

  it('answers 415 for a content type other than JSON or text/plain', async () => {
    const c = await collector();
    expect((await post(c.url, CLICK_BATCH, batch(clicks(1)), { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(c.url, CLICK_BATCH, batch(clicks(1)), { contentType: null })).status).toBe(415);
  });

  it('answers 429 with Retry-After once the bucket of a widget and client is empty, other widgets unaffected', async () => {
    const c = await collector({ rateLimit: { burstEvents: 20, refillEventsPerSecond: 2 } });
    expect((await post(c.url, CLICK_BATCH, batch(clicks(10, { timestamp: NOW }), 'limited'))).status).toBe(200);
    expect((await post(c.url, CLICK_BATCH, batch(clicks(10, { timestamp: NOW }), 'limited'))).status).toBe(200);
    const refused = await post(c.url, CLICK_BATCH, batch(clicks(10, { timestamp: NOW }), 'limited'));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json).toEqual({ error: expect.any(String) });
    expect((await post(c.url, CLICK_BATCH, batch(clicks(1, { timestamp: NOW }), 'another'))).status).toBe(200);
  });

  it('answers 503 with Retry-After when storage fails, and readyz says unavailable', async () => {
    const fail = async (): Promise<never> => {
      throw new CollectorError('STORAGE_UNAVAILABLE', 'disk on fire');
    };
    const failing: EventStore = {
      summary: fail,
      trends: fail,
      topEvents: fail,
      activeSessions: fail,
      listSessions: fail,
      trafficSources: fail,
      devices: fail,
      offers: fail,
      deliveryHealth: fail,
      deleteVisitor: fail,
      applyRetention: fail,
      getWidget: fail,
      listWidgets: fail,
      putWidget: fail,
      rotateWebhookSecret: fail,
      claimDueDeliveries: fail,
      finishDelivery: fail,
      startConversation: fail,
      conversationAccess: fail,
      getConversation: fail,
      postMessage: fail,
      readMessages: fail,
      listConversations: fail,
      markRead: fail,
      setConversationStatus: fail,
      listenConversations: () => ({ close: async () => undefined }),
      engine: 'sqlite',
      insertEvents: async () => {
        throw new CollectorError('STORAGE_UNAVAILABLE', 'disk on fire');
      },
      advanceAnalytics: fail,
      analyticsBacklog: fail,
      acquireAnalyticsLease: fail,
      listEvents: async () => [],
      exportRows: fail,
      ping: async () => {
        throw new CollectorError('STORAGE_UNAVAILABLE', 'disk on fire');
      },
      close: async () => undefined,
    };
    const c = await collector({ storageRetryAfterSeconds: 7 }, failing);
    const answer = await post(c.url, CLICK_BATCH, batch(clicks(2, { timestamp: NOW })));
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('7');
    const ready = await send(`${c.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await send(`${c.url}/healthz`)).status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers a preflight by echoing the origin, without credentials', async () => {
    const c = await collector();
    const answer = await send(`${c.url}${CLICK_BATCH}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(answer.headers['access-control-allow-methods']).toContain('POST');
    expect(answer.headers['access-control-allow-headers']).toMatch(/content-type/i);
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the page read Retry-After on a cross-origin answer', async () => {
    const c = await collector();
    const answer = await send(`${c.url}${CLICK_BATCH}`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.headers['access-control-expose-headers']).toBe('Retry-After');
  });

  it('refuses requests and preflights from origins not in the allowed list with 403', async () => {
    const c = await collector({ allowedOrigins: ['https://shop.example'] });
    const allowed = await post(c.url, CLICK_BATCH, batch(clicks(1, { timestamp: NOW })), { headers: { origin: 'https://shop.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const beacon = await post(c.url, CLICK_BATCH, batch(clicks(1, { timestamp: NOW })), { contentType: 'text/plain', headers: { origin: 'https://evil.example' } });
    expect(beacon.status).toBe(403);
    expect(beacon.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(`${c.url}${CLICK_BATCH}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect((await post(c.url, CLICK_BATCH, batch(clicks(1, { timestamp: NOW })))).status).toBe(200);
    // The collector's own pages (the dashboard) are not cross-origin.
    const own = await post(c.url, CLICK_BATCH, batch(clicks(1, { timestamp: NOW })), { headers: { origin: new URL(c.url).origin } });
    expect(own.status).toBe(200);
  });
});
