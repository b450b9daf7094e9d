import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, click, clicks, uuidv7 } from '../support/events';
import { post, send } from './support/http';

interface Case {
  name: string;
  path?: string;
  /** A raw string is sent as is; anything else as JSON. Functions get a fresh widget id. */
  body: (widgetId: string) => unknown;
  contentType?: string;
  status: number;
  /** For 200 answers: how many events are accepted, and the failure reasons in order. */
  accepted?: number;
  reasons?: string[];
}

const CLICK_BATCH = '/api/track/click/batch';
const ANALYTICS_BATCH = '/api/analytics/events/batch';
const envelope = (widgetId: string, events: unknown[]) => ({ widgetId, batchId: uuidv7(), events });
const raw = (text: string) => () => text;

const CASES: Case[] = [
  { name: 'truncated JSON', body: raw('{"widgetId":"w","events":[{"id":'), status: 400 },
  { name: 'JSON with a trailing comma', body: raw('{"widgetId":"w","events":[],}'), status: 400 },
  { name: 'an empty body', body: raw(''), status: 400 },
  { name: 'JSON null', body: raw('null'), status: 400 },
  { name: 'a JSON string', body: raw('"events"'), status: 400 },
  { name: 'a JSON array', body: () => [click()], status: 400 },
  { name: 'deeply nested arrays', body: raw(`${'['.repeat(20_000)}${']'.repeat(20_000)}`), status: 400 },
  { name: 'a numeric widgetId', body: () => ({ widgetId: 7, events: [click()] }), status: 400 },
  { name: 'an overlong widgetId', body: () => envelope('w'.repeat(65), [click()]), status: 400 },
  { name: 'events as a string', body: (w) => ({ widgetId: w, events: 'click' }), status: 400 },
  { name: 'events null', body: (w) => ({ widgetId: w, events: null }), status: 400 },
  { name: '26 events', body: (w) => envelope(w, clicks(26)), status: 400 },
  { name: 'a 65 KB body', body: (w) => envelope(w, [click({ offerId: 'o'.repeat(65 * 1024) })]), status: 413 },
  { name: 'a 65 KB body as text/plain', body: (w) => envelope(w, [click({ offerId: 'o'.repeat(65 * 1024) })]), contentType: 'text/plain', status: 413 },
  { name: 'an XML body', body: raw('<events/>'), contentType: 'application/xml', status: 415 },
  {
    name: 'wrong field types next to a good event',
    body: (w) => envelope(w, [click({ timestamp: 'yesterday' }), click({ offerId: { id: 1 } }), click({ sessionId: ['s'] }), click()]),
    status: 200,
    accepted: 1,
    reasons: ['invalid: timestamp', 'invalid: offerId', 'invalid: sessionId'],
  },
  {
    name: 'non-integer and out-of-range timestamps',
    body: (w) => JSON.stringify(envelope(w, [click({ timestamp: 1.5 }), click({ timestamp: -1 }), click({ timestamp: 'HUGE' })])).replace('"HUGE"', '1e400'),
    status: 200,
    accepted: 0,
    reasons: ['invalid: timestamp', 'invalid: timestamp', 'invalid: timestamp'],
  },
  {
    name: 'huge strings inside the per-event cap',
    body: (w) => envelope(w, [click({ offerId: 'o'.repeat(5000) }), click({ userAgent: 'u'.repeat(2000) }), click()]),
    status: 200,
    accepted: 1,
    reasons: ['invalid: offerId', 'invalid: userAgent'],
  },
  {
    name: 'a huge string over the per-event cap',
    body: (w) => envelope(w, [click({ offerId: 'o'.repeat(20_000) }), click()]),
    status: 200,
    accepted: 1,
    reasons: ['too_large'],
  },
  {
    name: 'unicode text (emoji, right-to-left, combining marks)',
    body: (w) => envelope(w, [click({ sessionId: 'سلام 👋🏽 e\u0301 日本', offerId: '🎁' }), click({ questionId: '\u202eevil' })]),
    status: 200,
    accepted: 2,
    reasons: [],
  },
  {
    name: 'NUL characters and unpaired surrogates',
    path: ANALYTICS_BATCH,
    body: (w) => envelope(w, [analytics({ name: 'a\u0000b' }), analytics({ properties: { x: '\ud800' } }), analytics({ properties: { ['\udc00']: 1 } }), analytics()]),
    status: 200,
    accepted: 1,
    reasons: ['invalid: name', 'invalid: properties.x', 'invalid: properties.\udc00'],
  },
  {
    name: '__proto__ and constructor keys in properties',
    path: ANALYTICS_BATCH,
    body: raw(''), // replaced below: JSON.stringify cannot write an own __proto__ key
    status: 200,
    accepted: 1,
    reasons: ['invalid: properties.__proto__', 'invalid: properties.constructor', 'invalid: properties.nested.prototype'],
  },
  {
    name: 'a __proto__ key in the envelope',
    body: raw(''), // replaced below
    status: 200,
    accepted: 1,
    reasons: [],
  },
  {
    name: 'SQL-looking strings',
    path: ANALYTICS_BATCH,
    body: (w) =>
      envelope(w, [
        analytics({ name: "x'); DROP TABLE events; --", sessionId: "' OR '1'='1", properties: { q: 'SELECT * FROM events; --', "k'\"": '$1' } }),
      ]),
    status: 200,
    accepted: 1,
    reasons: [],
  },
  {
    name: 'properties that are not an object, too big, or too wide',
    path: ANALYTICS_BATCH,
    body: (w) =>
      envelope(w, [
        analytics({ properties: [1, 2] }),
        analytics({ properties: { s: 'x'.repeat(1000), t: 'x'.repeat(1000), u: 'x'.repeat(1000), v: 'x'.repeat(1000), w: 'x'.repeat(1000) } }),
        analytics({ properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }),
      ]),
    status: 200,
    accepted: 0,
    reasons: ['invalid: properties', 'invalid: properties', 'invalid: properties'],
  },
];

function protoProperties(widgetId: string): string {
  const good = JSON.stringify(analytics());
  const withKeys = (props: string) => JSON.stringify(analytics({ properties: {} })).replace('"properties":{}', `"properties":${props}`);
  return `{"widgetId":"${widgetId}","events":[${withKeys('{"__proto__":{"polluted":true}}')},${withKeys('{"constructor":{"prototype":{"polluted":true}}}')},${withKeys('{"nested":{"prototype":1}}')},${good}]}`;
}

function protoEnvelope(widgetId: string): string {
  return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"widgetId":"${widgetId}","events":[${JSON.stringify(click())}]}`;
}

describe.each(ENGINES)('bad input on $name', ({ create }) => {
  let fixture: EngineFixture;
  let collector: RunningCollector;
  let counter = 0;

  beforeAll(async () => {
    fixture = create();
    collector = await startCollector({ port: 0, databaseUrl: await fixture.freshDatabaseUrl(), logLevel: 'silent', rateLimit: { burstEvents: 0 } });
  });
  afterAll(async () => {
    await collector?.close();
    await fixture?.teardown();
  });

  it.each(CASES)('answers $status to $name, stores exactly the accepted events and stays up', async (testCase) => {
    const widgetId = `bad-${++counter}`;
    const body =
      testCase.name.startsWith('__proto__') ? protoProperties(widgetId) : testCase.name.startsWith('a __proto__') ? protoEnvelope(widgetId) : testCase.body(widgetId);
    const answer = await post(collector.url, testCase.path ?? CLICK_BATCH, body, { contentType: testCase.contentType ?? 'application/json' });
    expect(answer.status).toBe(testCase.status);
    const stored = await collector.store.listEvents({ widgetId });
    if (testCase.status === 200) {
      const json = answer.json as { accepted: string[]; failed: { reason: string }[] };
      expect(json.accepted).toHaveLength(testCase.accepted ?? 0);
      expect(json.failed.map((f) => f.reason)).toEqual(testCase.reasons ?? []);
      expect(stored.map((r) => r.eventId).sort()).toEqual([...json.accepted].sort());
    } else {
      expect(answer.json).toEqual({ error: expect.any(String) });
      expect(stored).toEqual([]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await send(`${collector.url}/healthz`)).status).toBe(200);
  });

  it('keeps SQL-looking and unicode strings verbatim', async () => {
    const event = analytics({ name: "x'); DROP TABLE events; --", properties: { 'ключ 🔑': "' OR 1=1 --" } });
    await post(collector.url, ANALYTICS_BATCH, envelope('verbatim', [event]));
    const [row] = await collector.store.listEvents({ widgetId: 'verbatim' });
    expect(row?.name).toBe(event.name);
    expect(row?.properties).toEqual(event.properties);
  });
});
