import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { zeroCounters } from '../../server/analytics/daily-deltas';
import {
  COLLECTOR_ENV_VARS,
  CollectorError,
  createCollectorApp,
  createKeyRing,
  loadConfig,
  normalizeConfig,
  parseApiKeyJson,
  parseApiKeyList,
  startCollector,
} from '../../server';
import type {
  AnalyticsReader,
  AnalyticsSummary,
  ApiKeyGrant,
  CollectorApp,
  CollectorOptions,
  DailyCounters,
  EventStore,
  RunningCollector,
  SessionPage,
  SessionSummary,
} from '../../server';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, batch, click, offerShown } from '../support/events';
import { post, send } from './support/http';

const ACME_KEY = 'acme-key-0123456789abcdef';
const GLOBEX_KEY = 'globex-key-0123456789abcdef';
const OPS_KEY = 'ops-key-0123456789abcdef';
const KEYS: ApiKeyGrant[] = [
  { key: ACME_KEY, owner: 'acme', widgets: ['w-acme', 'w-acme-2'] },
  { key: GLOBEX_KEY, owner: 'globex', widgets: ['w-globex'] },
  { key: OPS_KEY, owner: 'ops', widgets: '*' },
];
/** 2025-06-15 12:00 UTC. */
const NOW = Date.UTC(2025, 5, 15, 12);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const ZERO: DailyCounters = zeroCounters();

const SESSION: SessionSummary = {
  sessionId: 's-1',
  visitorId: 'v-1',
  userId: null,
  startedAt: NOW - 60_000,
  lastSeenAt: NOW,
  durationMs: 60_000,
  events: 3,
  clicks: 1,
  opens: 1,
  messagesSent: 1,
  messagesReceived: 0,
  converted: true,
  isNewVisitor: true,
  landingPage: 'https://shop.example/',
  referrerDomain: null,
  utm: { source: null, medium: null, campaign: null, term: null, content: null },
  deviceType: 'desktop',
  browser: 'Chrome',
  os: 'Linux',
  screen: '1920x1080',
};

/** A store whose analytics side answers canned shapes and records what it was asked. */
function fakeStore() {
  const reader: AnalyticsReader = {
    summary: vi.fn(async (range) => ({
      ...ZERO,
      ...range,
      returningVisitors: 0,
      conversionRate: 0,
      avgSessionDurationMs: 0,
      avgMessagesPerSession: 0,
    })),
    trends: vi.fn(async (range) => ({ ...range, days: [{ date: range.to, ...ZERO }] })),
    topEvents: vi.fn(async ({ widgetId, from, to }) => ({ widgetId, from, to, events: [{ name: 'widget_opened', count: 2 }] })),
    activeSessions: vi.fn(async ({ widgetId, now, windowMs }) => ({ widgetId, at: now, windowMs, count: 1, sessions: [SESSION] })),
    listSessions: vi.fn(async ({ widgetId, from, to }) => ({ widgetId, from, to, sessions: [SESSION], nextCursor: 'next.1' })),
    trafficSources: vi.fn(async ({ widgetId, from, to }) => ({
      widgetId,
      from,
      to,
      referrers: [{ value: '(direct)', sessions: 1 }],
      landingPages: [],
      utm: { source: [], medium: [], campaign: [], term: [], content: [] },
    })),
    devices: vi.fn(async ({ widgetId, from, to }) => ({
      widgetId,
      from,
      to,
      deviceTypes: [{ value: 'desktop', sessions: 1 }],
      browsers: [],
      os: [],
      screens: [],
    })),
    deliveryHealth: vi.fn(async () => {
      throw new Error('not asked here');
    }),
    offers: vi.fn(async ({ widgetId, from, to }) => ({
      widgetId,
      from,
      to,
      offers: [{ offerId: 'trial', buttonVariantId: 'default', shown: 4, clicked: 1, clickThroughRate: 0.25 }],
    })),
    deleteVisitor: vi.fn(async ({ widgetId, id }) => ({ widgetId, id, deletedEvents: 4, deletedSessions: 1, deletedConversations: 1, deletedMessages: 3 })),
    applyRetention: vi.fn(async () => ({ deletedEvents: 0, deletedSessions: 0, deletedVisitorRows: 0, deletedConversations: 0, deletedMessages: 0, tookMs: 0 })),
  };
  const base = {
    engine: 'sqlite' as const,
    insertEvents: vi.fn(async (rows: readonly { eventId: string }[]) => ({ inserted: rows.map((row) => row.eventId), duplicates: [] })),
    listEvents: vi.fn(async () => []),
    ping: vi.fn(async () => undefined),
    close: vi.fn(async () => undefined),
    // No widget is registered here: the grants alone decide (owners are tested in widgets-api.test.ts).
    getWidget: vi.fn(async () => null),
    // The app listens for other collectors' conversation changes from the start.
    listenConversations: () => ({ close: async () => undefined }),
  };
  return { ...base, ...reader } as unknown as EventStore & { [K in keyof AnalyticsReader]: ReturnType<typeof vi.fn> & AnalyticsReader[K] };
}

describe('the analytics read API (fake store)', () => {
  let store: ReturnType<typeof fakeStore>;
  let collector: CollectorApp;

  const build = (options: CollectorOptions = {}) => {
    store = fakeStore();
    collector = createCollectorApp(
      normalizeConfig({ logLevel: 'silent', apiKeys: KEYS, now: () => NOW, retention: { schedule: false }, ...options }),
      store,
      () => false,
    );
    return collector;
  };
  const get = (url: string, headers: Record<string, string> = bearer(ACME_KEY)) => collector.app.inject({ method: 'GET', url, headers });
  const summaryUrl = (widgetId = 'w-acme', query = '') => `/api/analytics/widget/${widgetId}/summary${query}`;

  beforeEach(() => {
    build();
  });
  afterEach(async () => {
    await collector.app.close();
  });

  describe('auth', () => {
    it('answers 401 with WWW-Authenticate: Bearer when the Authorization header is missing', async () => {
      const answer = await get(summaryUrl(), {});
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="framewire"$/);
      expect(answer.json()).toEqual({ error: expect.stringContaining('missing API key') });
      expect(store.summary).not.toHaveBeenCalled();
    });

    it.each([
      ['another scheme', `Basic ${Buffer.from(`acme:${ACME_KEY}`).toString('base64')}`],
      ['no token', 'Bearer'],
      ['two tokens', `Bearer ${ACME_KEY} ${ACME_KEY}`],
      ['a quoted token', `Bearer "${ACME_KEY}"`],
    ])('answers 401 invalid_token for a malformed header (%s)', async (_case, header) => {
      const answer = await get(summaryUrl(), { authorization: header });
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(store.summary).not.toHaveBeenCalled();
    });

    it.each([
      ['an unknown key', 'unknown-key-0123456789abcdef'],
      ['a known key with its last character changed', `${ACME_KEY.slice(0, -1)}0`],
      ['a prefix of a known key', ACME_KEY.slice(0, 16)],
    ])('answers 401 invalid_token for %s', async (_case, key) => {
      const answer = await get(summaryUrl(), bearer(key));
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(answer.json()).toEqual({ error: 'unknown API key' });
    });

    it("answers 404 with the body of an unknown path when the key does not own the widget", async () => {
      const other = await get(summaryUrl('w-globex'));
      const unknownPath = await get('/api/analytics/nothing-here');
      expect(other.statusCode).toBe(404);
      expect(other.json()).toEqual(unknownPath.json());
      expect(other.json()).toEqual({ error: 'not found' });
      expect(store.summary).not.toHaveBeenCalled();
    });

    it('answers a widget that exists for nobody exactly like another owner’s widget', async () => {
      const foreign = await get(summaryUrl('w-globex'));
      const missing = await get(summaryUrl('w-does-not-exist'));
      expect([missing.statusCode, missing.body]).toEqual([foreign.statusCode, foreign.body]);
    });

    it('answers 200 for a key listing the widget, whatever the case of "Bearer"', async () => {
      expect((await get(summaryUrl('w-acme'))).statusCode).toBe(200);
      expect((await get(summaryUrl('w-acme-2'), { authorization: `bearer ${ACME_KEY}` })).statusCode).toBe(200);
      expect((await get(summaryUrl('w-globex'), bearer(GLOBEX_KEY))).statusCode).toBe(200);
    });

    it('lets a "*" key read any widget', async () => {
      for (const widgetId of ['w-acme', 'w-globex', 'w-anything-else']) {
        const answer = await get(summaryUrl(widgetId), bearer(OPS_KEY));
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({ widgetId });
      }
    });

    it('answers 401 to every request when no key is configured', async () => {
      await collector.app.close();
      build({ apiKeys: [] });
      expect((await get(summaryUrl())).statusCode).toBe(401);
    });

    const guarded = ['summary', 'trends', 'events', 'active', 'sessions', 'traffic-sources', 'devices', 'offers'].map(
      (name) => ['GET', name] as const,
    );
    it.each([...guarded, ['DELETE', 'users/anon-1'] as const])('guards %s …/%s: 401 without a key, 404 for another owner', async (method, path) => {
      const url = (widgetId: string) => `/api/analytics/widget/${widgetId}/${path}`;
      const none = await collector.app.inject({ method, url: url('w-acme') });
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      const foreign = await collector.app.inject({ method, url: url('w-acme'), headers: bearer(GLOBEX_KEY) });
      expect(foreign.statusCode).toBe(404);
      const own = await collector.app.inject({ method, url: url('w-acme'), headers: bearer(ACME_KEY) });
      expect(own.statusCode).toBe(200);
    });

    it('never asks for a key on ingestion', async () => {
      const answer = await collector.app.inject({
        method: 'POST',
        url: '/api/analytics/events/batch',
        payload: batch([analytics({ timestamp: NOW })], 'w-acme'),
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ accepted: [expect.any(String)] });
    });

    it('sends Cache-Control: no-store on answers, refusals included', async () => {
      expect((await get(summaryUrl())).headers['cache-control']).toBe('no-store');
      expect((await get(summaryUrl(), {})).headers['cache-control']).toBe('no-store');
      expect((await get(summaryUrl('w-acme', '?from=nope'))).headers['cache-control']).toBe('no-store');
    });
  });

  describe('parameters', () => {
    it('reads the last 30 UTC days up to today by default', async () => {
      const answer = await get(summaryUrl());
      expect(answer.statusCode).toBe(200);
      expect(store.summary).toHaveBeenCalledWith({ widgetId: 'w-acme', from: '2025-05-17', to: '2025-06-15' });
    });

    it('counts 29 days back from a given "to", and up to today from a given "from"', async () => {
      await get(summaryUrl('w-acme', '?to=2025-03-01'));
      expect(store.summary).toHaveBeenLastCalledWith({ widgetId: 'w-acme', from: '2025-01-31', to: '2025-03-01' });
      await get(summaryUrl('w-acme', '?from=2025-06-01'));
      expect(store.summary).toHaveBeenLastCalledWith({ widgetId: 'w-acme', from: '2025-06-01', to: '2025-06-15' });
    });

    it('accepts one day and a range of exactly 731 days', async () => {
      expect((await get(summaryUrl('w-acme', '?from=2025-06-15&to=2025-06-15'))).statusCode).toBe(200);
      expect((await get(summaryUrl('w-acme', '?from=2023-06-15&to=2025-06-14'))).statusCode).toBe(200);
    });

    it.each([
      ['from=2025-13-01', 'from'],
      ['from=2025-02-29', 'from'],
      ['to=2024-04-31', 'to'],
      ['from=20250101', 'from'],
      ['to=yesterday', 'to'],
      ['from=2025-01-01T00:00:00Z', 'from'],
      ['from=1969-12-31', 'from'],
      ['from=2025-01-01&from=2025-01-02', 'from'],
    ])('refuses %s with 400 naming the parameter', async (query, parameter) => {
      const answer = await get(summaryUrl('w-acme', `?${query}`));
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringMatching(new RegExp(`^bad query: ${parameter}: `)) });
      expect(store.summary).not.toHaveBeenCalled();
    });

    it('refuses "from" after "to" with 400', async () => {
      const answer = await get(summaryUrl('w-acme', '?from=2025-06-02&to=2025-06-01'));
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringContaining('from: must not be after to') });
    });

    it('refuses a range of 732 days with 400', async () => {
      const answer = await get(summaryUrl('w-acme', '?from=2023-06-14&to=2025-06-14'));
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringContaining('at most 731') });
    });

    it('reads offers over the last 30 days by default, or the given range, and refuses a bad range with 400', async () => {
      await get('/api/analytics/widget/w-acme/offers');
      expect(store.offers).toHaveBeenLastCalledWith({ widgetId: 'w-acme', from: '2025-05-17', to: '2025-06-15' });
      await get('/api/analytics/widget/w-acme/offers?from=2025-06-01&to=2025-06-10&limit=5');
      expect(store.offers).toHaveBeenLastCalledWith({ widgetId: 'w-acme', from: '2025-06-01', to: '2025-06-10' });
      const reversed = await get('/api/analytics/widget/w-acme/offers?from=2025-06-11&to=2025-06-10');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json()).toEqual({ error: expect.stringContaining('from: must not be after to') });
      const bad = await get('/api/analytics/widget/w-acme/offers?to=2025-02-30');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ error: expect.stringMatching(/^bad query: to: /) });
      expect(bad.headers['cache-control']).toBe('no-store');
      expect(store.offers).toHaveBeenCalledTimes(2);
    });

    it('uses limit 20 for top lists and 50 for sessions by default', async () => {
      await get('/api/analytics/widget/w-acme/events');
      expect(store.topEvents).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 20 }));
      await get('/api/analytics/widget/w-acme/traffic-sources');
      expect(store.trafficSources).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 20 }));
      await get('/api/analytics/widget/w-acme/devices?limit=100');
      expect(store.devices).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 100 }));
      await get('/api/analytics/widget/w-acme/sessions');
      expect(store.listSessions).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 50, cursor: null }));
    });

    it.each(['0', '101', 'abc', '1.5', '-1', '1e2', ' 5'])('refuses limit=%s with 400 naming limit', async (limit) => {
      for (const path of ['events', 'sessions', 'traffic-sources', 'devices']) {
        const answer = await get(`/api/analytics/widget/w-acme/${path}?limit=${encodeURIComponent(limit)}`);
        expect(answer.statusCode).toBe(400);
        expect(answer.json()).toEqual({ error: expect.stringMatching(/^bad query: limit: /) });
      }
    });

    it('passes a cursor through and reads an empty one as none', async () => {
      await get('/api/analytics/widget/w-acme/sessions?cursor=eyJ0IjoxfQ.abc&limit=10');
      expect(store.listSessions).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'eyJ0IjoxfQ.abc', limit: 10 }));
      await get('/api/analytics/widget/w-acme/sessions?cursor=');
      expect(store.listSessions).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: null }));
    });

    it.each([
      ['longer than 200 characters', 'x'.repeat(201)],
      ['with a space', 'a b'],
      ['with non-ASCII characters', 'é'],
    ])('refuses a cursor %s with 400 naming cursor', async (_case, cursor) => {
      const answer = await get(`/api/analytics/widget/w-acme/sessions?cursor=${encodeURIComponent(cursor)}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringMatching(/^bad query: cursor: /) });
    });

    it('turns minutes into windowMs (default 5) and counts from the collector clock', async () => {
      await get('/api/analytics/widget/w-acme/active');
      expect(store.activeSessions).toHaveBeenLastCalledWith({ widgetId: 'w-acme', now: NOW, windowMs: 300_000 });
      await get('/api/analytics/widget/w-acme/active?minutes=30');
      expect(store.activeSessions).toHaveBeenLastCalledWith({ widgetId: 'w-acme', now: NOW, windowMs: 1_800_000 });
    });

    it.each(['0', '31', 'five'])('refuses minutes=%s with 400 naming minutes', async (minutes) => {
      const answer = await get(`/api/analytics/widget/w-acme/active?minutes=${minutes}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringMatching(/^bad query: minutes: /) });
    });

    it('refuses a malformed widget id with 400 for a "*" key, and 404 for a key that lists its widgets', async () => {
      const bad = encodeURIComponent('-bad widget');
      const wildcard = await get(summaryUrl(bad), bearer(OPS_KEY));
      expect(wildcard.statusCode).toBe(400);
      expect(wildcard.json()).toEqual({ error: expect.stringMatching(/^bad path: widgetId: /) });
      expect((await get(summaryUrl(bad))).statusCode).toBe(404);
    });

    it('ignores unknown query parameters', async () => {
      expect((await get(summaryUrl('w-acme', '?foo=bar&limit=7'))).statusCode).toBe(200);
    });

    it('answers 503 with Retry-After when the store fails', async () => {
      store.summary.mockRejectedValueOnce(new CollectorError('STORAGE_UNAVAILABLE', 'database unreachable'));
      const answer = await get(summaryUrl());
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
    });
  });

  describe('answers', () => {
    it.each([
      ['summary', 'summary', { widgetId: 'w-acme', from: '2025-05-17', to: '2025-06-15', conversionRate: 0 }],
      ['trends', 'trends', { widgetId: 'w-acme', days: [expect.objectContaining({ date: '2025-06-15' })] }],
      ['events', 'topEvents', { widgetId: 'w-acme', events: [{ name: 'widget_opened', count: 2 }] }],
      ['active', 'activeSessions', { widgetId: 'w-acme', at: NOW, windowMs: 300_000, count: 1 }],
      ['sessions', 'listSessions', { widgetId: 'w-acme', sessions: [SESSION], nextCursor: 'next.1' }],
      ['traffic-sources', 'trafficSources', { referrers: [{ value: '(direct)', sessions: 1 }] }],
      ['devices', 'devices', { deviceTypes: [{ value: 'desktop', sessions: 1 }] }],
      ['offers', 'offers', { widgetId: 'w-acme', offers: [{ offerId: 'trial', buttonVariantId: 'default', shown: 4, clicked: 1, clickThroughRate: 0.25 }] }],
    ] as const)('…/%s answers the store’s %s as JSON', async (path, method, shape) => {
      const answer = await get(`/api/analytics/widget/w-acme/${path}`);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json()).toMatchObject(shape);
      expect(store[method]).toHaveBeenCalledTimes(1);
    });
  });

  describe('DELETE …/users/:id', () => {
    const del = (id: string, headers: Record<string, string> = bearer(ACME_KEY)) =>
      collector.app.inject({ method: 'DELETE', url: `/api/analytics/widget/w-acme/users/${id}`, headers });

    it('deletes the id’s data and answers the counts', async () => {
      const answer = await del(encodeURIComponent('user@example.com'));
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ widgetId: 'w-acme', id: 'user@example.com', deletedEvents: 4, deletedSessions: 1, deletedConversations: 1, deletedMessages: 3 });
      expect(store.deleteVisitor).toHaveBeenCalledWith({ widgetId: 'w-acme', id: 'user@example.com' });
      expect(answer.headers['cache-control']).toBe('no-store');
    });

    it.each([
      ['longer than 128 characters', 'a'.repeat(129)],
      ['blank', '%20%20'],
      ['holding NUL', 'a%00b'],
    ])('refuses an id %s with 400 naming id', async (_case, id) => {
      const answer = await del(id);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toEqual({ error: expect.stringMatching(/^bad path: id: /) });
      expect(store.deleteVisitor).not.toHaveBeenCalled();
    });

    it('accepts an id of 128 characters', async () => {
      expect((await del('a'.repeat(128))).statusCode).toBe(200);
    });

    it('refuses another owner’s widget with 404 before deleting anything', async () => {
      expect((await del('anon-1', bearer(GLOBEX_KEY))).statusCode).toBe(404);
      expect(store.deleteVisitor).not.toHaveBeenCalled();
    });
  });
});

describe('API keys', () => {
  it('reads the FRAMEWIRE_API_KEYS list format', () => {
    const grants = parseApiKeyList(` ${ACME_KEY}=acme:w-acme, w-acme-2 ; ${OPS_KEY}=ops:* ;`);
    expect(grants).toEqual([
      { key: ACME_KEY, owner: 'acme', widgets: ['w-acme', 'w-acme-2'] },
      { key: OPS_KEY, owner: 'ops', widgets: '*' },
    ]);
  });

  it.each([
    [`short=acme:w-acme`, /entry 1: key must be at least 16 characters/],
    [`${ACME_KEY}=acme:w-acme;${ACME_KEY}=other:w-b`, /entry 2: key is listed twice/],
    [`${ACME_KEY}acme:w-acme`, /entry 1 must look like key=owner:widgetA,widgetB/],
    [`${ACME_KEY}=acme:`, /entry 1: widgets must list at least one widget id/],
    [`${ACME_KEY}=acme:*,w-acme`, /entry 1: widgets must be "\*" alone/],
    [`${ACME_KEY}=:w-acme`, /entry 1: owner must be/],
    [`${ACME_KEY}=acme:bad widget`, /entry 1: widgets\.0 must be "\*" or widget ids/],
  ])('refuses %s with a clear message that never quotes the key', (text, message) => {
    expect(() => parseApiKeyList(text)).toThrow(message);
    try {
      parseApiKeyList(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(ACME_KEY);
      expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
    }
  });

  it('reads the JSON file format, with "*" or ["*"] for every widget', () => {
    const json = JSON.stringify([
      { key: ACME_KEY, owner: 'acme', widgets: ['w-acme'] },
      { key: OPS_KEY, owner: 'ops', widgets: ['*'] },
      { key: GLOBEX_KEY, owner: 'globex', widgets: '*' },
    ]);
    expect(parseApiKeyJson(json).map((grant) => grant.widgets)).toEqual([['w-acme'], '*', '*']);
  });

  it.each([
    ['not JSON', '[{', /is not valid JSON/],
    ['not an array', '{}', /must be a JSON array/],
    ['a short key', JSON.stringify([{ key: 'short', owner: 'a', widgets: ['w'] }]), /\[0\]: key must be at least 16 characters/],
    ['no widgets', JSON.stringify([{ key: ACME_KEY, owner: 'a' }]), /\[0\]: widgets must be "\*" or a list of widget ids/],
  ])('refuses a file that is %s', (_case, text, message) => {
    expect(() => parseApiKeyJson(text)).toThrow(message);
  });

  it('matches only whole keys', () => {
    const ring = createKeyRing(KEYS);
    expect(ring.authenticate(ACME_KEY)?.owner).toBe('acme');
    expect(ring.authenticate(`${ACME_KEY}x`)).toBeNull();
    expect(ring.authenticate('')).toBeNull();
    expect(ring.authenticate(OPS_KEY)?.canAccess('anything')).toBe(true);
    expect(ring.authenticate(ACME_KEY)?.canAccess('w-globex')).toBe(false);
  });

  describe('from the environment', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'framewire-keys-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads FRAMEWIRE_API_KEYS and FRAMEWIRE_API_KEYS_FILE', () => {
      expect(loadConfig({ FRAMEWIRE_API_KEYS: `${ACME_KEY}=acme:w-acme` }).apiKeys).toEqual([
        { key: ACME_KEY, owner: 'acme', widgets: ['w-acme'] },
      ]);
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify([{ key: OPS_KEY, owner: 'ops', widgets: '*' }]));
      expect(loadConfig({ FRAMEWIRE_API_KEYS_FILE: file }).apiKeys).toEqual([{ key: OPS_KEY, owner: 'ops', widgets: '*' }]);
    });

    it('names the variable in its errors', () => {
      expect(() => loadConfig({ FRAMEWIRE_API_KEYS: 'x=y:z' })).toThrow(/^Invalid environment: FRAMEWIRE_API_KEYS entry 1: key must be at least 16/);
      expect(() => loadConfig({ FRAMEWIRE_API_KEYS_FILE: join(dir, 'missing.json') })).toThrow(
        /^Invalid environment: FRAMEWIRE_API_KEYS_FILE cannot be read \(ENOENT\)/,
      );
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, 'not json');
      expect(() => loadConfig({ FRAMEWIRE_API_KEYS_FILE: bad })).toThrow(/FRAMEWIRE_API_KEYS_FILE .* is not valid JSON/);
      expect(() => loadConfig({ FRAMEWIRE_API_KEYS: `${ACME_KEY}=a:b`, FRAMEWIRE_API_KEYS_FILE: bad })).toThrow(/not both/);
    });

    it('has no keys by default', () => {
      expect(loadConfig({}).apiKeys).toEqual([]);
    });
  });
});

describe('retention configuration', () => {
  it('defaults to 90 days of events, 365 of sessions, chunks of 10000 and 5000, scheduled', () => {
    expect(loadConfig({}).retention).toEqual({ eventsDays: 90, sessionsDays: 365, eventChunk: 10_000, sessionChunk: 5000, schedule: true });
  });

  it('reads RETENTION_ENABLED, RETENTION_EVENTS_DAYS and RETENTION_SESSIONS_DAYS', () => {
    const { retention } = loadConfig({ RETENTION_ENABLED: 'false', RETENTION_EVENTS_DAYS: '30', RETENTION_SESSIONS_DAYS: '730' });
    expect(retention).toMatchObject({ schedule: false, eventsDays: 30, sessionsDays: 730 });
    expect(COLLECTOR_ENV_VARS).toMatchObject({
      FRAMEWIRE_API_KEYS: 'apiKeys',
      FRAMEWIRE_API_KEYS_FILE: 'apiKeys',
      RETENTION_ENABLED: 'retention.schedule',
      RETENTION_EVENTS_DAYS: 'retention.eventsDays',
      RETENTION_SESSIONS_DAYS: 'retention.sessionsDays',
    });
  });

  it.each([
    [{ RETENTION_EVENTS_DAYS: '0' }, /RETENTION_EVENTS_DAYS must be at least 1/],
    [{ RETENTION_SESSIONS_DAYS: 'year' }, /RETENTION_SESSIONS_DAYS must be a whole number/],
    [{ RETENTION_ENABLED: 'sometimes' }, /RETENTION_ENABLED must be true or false/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('merges partial retention options over the defaults', () => {
    expect(normalizeConfig({ retention: { eventChunk: 500 } }).retention).toMatchObject({ eventChunk: 500, sessionChunk: 5000, eventsDays: 90 });
    expect(() => normalizeConfig({ retention: { sessionChunk: 0 } })).toThrow(/retention\.sessionChunk/);
  });
});

describe.each(ENGINES)('the analytics read API end to end on $name', ({ create }) => {
  let fixture: EngineFixture;
  let collector: RunningCollector;
  const now = Date.now();
  const widgetId = 'w-e2e';
  const today = new Date(now).toISOString().slice(0, 10);
  // From yesterday, so events of a run just after midnight UTC are still in range.
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const read = (path: string, key = ACME_KEY) =>
    send(`${collector.url}/api/analytics/widget/${widgetId}/${path}${path.includes('?') ? '&' : '?'}from=${yesterday}`, { headers: bearer(key) });

  beforeAll(async () => {
    fixture = create();
    collector = await startCollector({
      port: 0,
      databaseUrl: await fixture.freshDatabaseUrl(),
      logLevel: 'silent',
      apiKeys: [{ key: ACME_KEY, owner: 'acme', widgets: [widgetId] }],
      retention: { schedule: false },
    });
    const context = {
      page: 'https://shop.example/pricing?x=1',
      referrer: 'https://www.google.com/search?q=framewire',
      utm: { source: 'newsletter', medium: 'email' },
      screen: '1920x1080',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    };
    const events = [
      analytics({ name: 'widget_opened', sessionId: 'client-s1', anonymousId: 'anon-1', timestamp: now - 120_000, context }),
      analytics({ name: 'message_sent', sessionId: 'client-s1', anonymousId: 'anon-1', timestamp: now - 60_000, context }),
      analytics({ name: 'message_received', sessionId: 'client-s1', anonymousId: 'anon-1', timestamp: now - 30_000, context }),
      analytics({ name: 'widget_opened', sessionId: 'client-s2', anonymousId: 'anon-2', timestamp: now - 20_000, context }),
    ];
    const ingested = await post(collector.url, '/api/analytics/events/batch', batch(events, widgetId));
    expect(ingested.json).toMatchObject({ accepted: events.map((event) => event.id), failed: [] });
    const clicked = await post(collector.url, '/api/track/click/batch', batch([click({ sessionId: 'client-s1', timestamp: now - 10_000 })], widgetId));
    expect(clicked.status).toBe(200);
    // The analytics follow ingestion within about a second; the drain hook folds them now.
    await collector.analytics.drain();
  });
  afterAll(async () => {
    await collector?.close();
    await fixture?.teardown();
  });

  it('reads back today’s summary of an ingested batch', async () => {
    const answer = await read('summary');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const summary = answer.json as AnalyticsSummary;
    expect(summary).toMatchObject({ widgetId, from: yesterday, to: today, events: 5, clicks: 1, opens: 2, messagesSent: 1, sessions: 2, conversions: 1 });
    expect(summary.visitors).toBe(2);
  });

  it('answers every endpoint with its shape', async () => {
    const answers = Object.fromEntries(
      await Promise.all(
        ['trends', 'events', 'active', 'sessions', 'traffic-sources', 'devices'].map(async (path) => {
          const answer = await read(path);
          expect(answer.status, path).toBe(200);
          return [path, answer.json] as const;
        }),
      ),
    );
    expect(answers.trends).toMatchObject({ widgetId, to: today, days: expect.any(Array) });
    expect((answers.trends as { days: { date: string }[] }).days.map((day) => day.date)).toEqual([yesterday, today]);
    expect(answers.events).toMatchObject({ widgetId, events: expect.arrayContaining([{ name: 'widget_opened', count: 2 }]) });
    expect(answers.active).toMatchObject({ widgetId, windowMs: 300_000, count: 2 });
    expect(answers.sessions).toMatchObject({ widgetId, nextCursor: null });
    expect((answers.sessions as { sessions: SessionSummary[] }).sessions.map((session) => [session.visitorId, session.events, session.converted])).toEqual([
      ['client-s2', 1, false],
      ['client-s1', 4, true],
    ]);
    expect(answers['traffic-sources']).toMatchObject({ widgetId, referrers: expect.any(Array), landingPages: expect.any(Array), utm: expect.any(Object) });
    expect(answers.devices).toMatchObject({ widgetId, deviceTypes: [{ value: 'desktop', sessions: 2 }], browsers: expect.any(Array) });
  });

  it('pages through sessions with nextCursor and refuses a cursor it did not hand out', async () => {
    const first = (await read('sessions?limit=1')).json as SessionPage;
    expect(first.sessions).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await read(`sessions?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)).json as SessionPage;
    expect(second.sessions).toHaveLength(1);
    expect(second.sessions[0]?.sessionId).not.toBe(first.sessions[0]?.sessionId);
    expect(second.nextCursor).toBeNull();
    const foreign = await read('sessions?cursor=not-a-cursor');
    expect(foreign.status).toBe(400);
    expect(foreign.json).toEqual({ error: expect.stringContaining('cursor') });
  });

  it('deletes a visitor by client session id and then reads none of its sessions', async () => {
    const deleted = await send(`${collector.url}/api/analytics/widget/${widgetId}/users/client-s1`, { method: 'DELETE', headers: bearer(ACME_KEY) });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ widgetId, id: 'client-s1', deletedEvents: 4, deletedSessions: 1, deletedConversations: 0, deletedMessages: 0 });
    const left = (await read('sessions')).json as SessionPage;
    expect(left.sessions.map((session) => session.visitorId)).toEqual(['client-s2']);
  });

  it('refuses a read without a key over real HTTP', async () => {
    const answer = await send(`${collector.url}/api/analytics/widget/${widgetId}/summary`);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe.each(ENGINES)('the offers report end to end on $name', ({ create }) => {
  let fixture: EngineFixture;
  let collector: RunningCollector;
  const now = Date.now();
  const widgetId = 'w-offers';
  const today = new Date(now).toISOString().slice(0, 10);
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const offersUrl = (query = `?from=${yesterday}`) => `${collector.url}/api/analytics/widget/${widgetId}/offers${query}`;

  beforeAll(async () => {
    fixture = create();
    collector = await startCollector({
      port: 0,
      databaseUrl: await fixture.freshDatabaseUrl(),
      logLevel: 'silent',
      apiKeys: [
        { key: ACME_KEY, owner: 'acme', widgets: [widgetId] },
        { key: GLOBEX_KEY, owner: 'globex', widgets: ['w-globex'] },
      ],
      retention: { schedule: false },
    });
  });
  afterAll(async () => {
    await collector?.close();
    await fixture?.teardown();
  });

  it('counts offer_shown events and clicks per offer and variant, once each however often a batch is resent', async () => {
    const shownA = offerShown({ offerId: 'trial', buttonVariantId: 'a' }, { sessionId: 'v1', timestamp: now - 60_000 });
    const shownB = offerShown({ offerId: 'trial', buttonVariantId: 'b' }, { sessionId: 'v2', timestamp: now - 50_000 });
    const shownPlain = offerShown({ offerId: 'newsletter', buttonVariantId: 'default' }, { sessionId: 'v2', timestamp: now - 40_000 });
    const noOffer = offerShown({ offerId: undefined }, { sessionId: 'v2', timestamp: now - 40_000 });
    const clickA = click({ sessionId: 'v1', offerId: 'trial', buttonVariantId: 'a', timestamp: now - 30_000 });
    const clickPlain = click({ sessionId: 'v2', offerId: 'newsletter', buttonVariantId: undefined, timestamp: now - 20_000 });
    const events = [shownA, shownB, shownPlain, noOffer];
    const first = await post(collector.url, '/api/analytics/events/batch', batch([...events, shownA], widgetId));
    expect(first.json).toEqual({ accepted: events.map((event) => event.id), duplicates: [shownA.id], failed: [] });
    const again = await post(collector.url, '/api/analytics/events/batch', batch(events, widgetId));
    expect(again.json).toMatchObject({ accepted: [], duplicates: events.map((event) => event.id) });
    for (let i = 0; i < 2; i++) {
      const clicked = await post(collector.url, '/api/track/click/batch', batch([clickA, clickPlain], widgetId));
      expect(clicked.status).toBe(200);
    }
    await collector.analytics.drain();

    const answer = await send(offersUrl(), { headers: bearer(ACME_KEY) });
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.json).toEqual({
      widgetId,
      from: yesterday,
      to: today,
      offers: [
        { offerId: 'newsletter', buttonVariantId: 'default', shown: 1, clicked: 1, clickThroughRate: 1 },
        { offerId: 'trial', buttonVariantId: 'a', shown: 1, clicked: 1, clickThroughRate: 1 },
        { offerId: 'trial', buttonVariantId: 'b', shown: 1, clicked: 0, clickThroughRate: 0 },
      ],
    });
    const summary = (await send(`${collector.url}/api/analytics/widget/${widgetId}/summary?from=${yesterday}`, { headers: bearer(ACME_KEY) })).json;
    expect(summary).toMatchObject({ events: 6, clicks: 2 });
  });

  it('answers an empty list for a range without offers', async () => {
    const answer = await send(offersUrl('?from=2020-01-01&to=2020-01-31'), { headers: bearer(ACME_KEY) });
    expect(answer.json).toEqual({ widgetId, from: '2020-01-01', to: '2020-01-31', offers: [] });
  });

  it('refuses a read without a key (401) or with another owner’s key (404) over real HTTP', async () => {
    const none = await send(offersUrl());
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const foreign = await send(offersUrl(), { headers: bearer(GLOBEX_KEY) });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual({ error: 'not found' });
  });
});
