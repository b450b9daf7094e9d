import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createAnalyticsQueue, createClickQueue } from '../../../lib/embed/click-queue';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import { createHostApi } from '../../../lib/embed/host-api';
import { identify, storedUserId } from '../../../lib/embed/identify';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import type { EventQueue } from '../../../lib/embed/queue/event-queue';
import { createTrack } from '../../../lib/embed/track';
import { ErrorCode, isFramewireError } from '../../../lib/protocol/errors';
import type { TrackEvent } from '../../../lib/protocol/host-api';
import { parseCallMessage } from '../../../lib/protocol/messages';
import { utf8Length } from '../../../lib/protocol/storable';
import { createLogger } from '../../../lib/util/logger';
import { normalizeConfig } from '../../../server/config';
import { createCollectorApp } from '../../../server/create-app';
import type { CollectorApp } from '../../../server/create-app';
import type { EventRow, EventStore, InsertResult } from '../../../server/store';

/*
 * The collector contract, end to end: whatever the embed accepts (a widget id in `init`, an
 * event through the host's `track` gate and `createTrack`, an `identify` call), the queues
 * send and the collector (the real fastify app: body parser, envelope, per-event
 * validation, at its default limits) accepts. Inputs are biased towards the edges: lengths
 * around each limit, multi-byte and astral characters, NUL, unpaired surrogates, forbidden
 * and overlong keys, deep nesting, events near the byte limit.
 */

const NOW = Date.UTC(2026, 0, 15, 12);
const WIDGET = 'demo';
const WIDGET_URL = 'https://widget.example/widget.html';
const config = normalizeConfig({ logLevel: 'silent', now: () => NOW, rateLimit: { burstEvents: 0 } });

type Sent = { status: number; body: { accepted?: string[]; duplicates?: string[]; failed?: unknown[]; error?: string }; ids: string[]; bytes: number };

let collector: CollectorApp;
const stored = new Set<string>();
const queues: EventQueue[] = [];

/** Only what ingestion (and building the app) calls; the fastify app is the real one. */
const store = {
  engine: 'sqlite',
  listenConversations: () => ({ close: async () => undefined }),
  async insertEvents(rows: readonly EventRow[]): Promise<InsertResult> {
    const result: InsertResult = { inserted: [], duplicates: [] };
    for (const row of rows) (stored.has(row.eventId) ? result.duplicates : result.inserted).push(row.eventId);
    for (const id of result.inserted) stored.add(id);
    return result;
  },
} as unknown as EventStore;

/** A fetch for one page's queues: hands each body to the collector app, as a browser sends it, and records it in `sent`. */
const collectorFetch = (sent: Sent[]) =>
  (async (url: string, init: RequestInit) => {
  const answer = await collector.app.inject({
    method: 'POST',
    url: new URL(url).pathname,
    payload: String(init.body),
    headers: { 'content-type': 'text/plain' },
  });
  const body = JSON.parse(answer.body) as Sent['body'];
  const ids = (JSON.parse(String(init.body)) as { events: { id: string }[] }).events.map((event) => event.id);
  sent.push({ status: answer.statusCode, body, ids, bytes: utf8Length(String(init.body)) });
  const ok = answer.statusCode >= 200 && answer.statusCode < 300;
  return { status: answer.statusCode, ok, headers: new Headers(), json: async () => body } as Response;
  }) as typeof fetch;

beforeAll(() => {
  // Only the clock is fake: identify stamps its event with Date.now(), inside the window.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  collector = createCollectorApp(config, store, () => false);
});
afterAll(async () => {
  await collector.app.close();
  vi.useRealTimers();
});
afterEach(() => {
  for (const queue of queues.splice(0)) queue.destroy();
});

/** A fresh host page: its URL, referrer, user agent and storage, and both queues. */
function hostPage(page: Page) {
  localStorage.clear();
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(page.utm)) if (value !== undefined) query.set(`utm_${key}`, value);
  history.replaceState(null, '', `/p/${page.path}?${query}`);
  Object.defineProperty(document, 'referrer', { value: page.referrer, configurable: true });
  Object.defineProperty(navigator, 'userAgent', { value: page.userAgent, configurable: true });
  if (page.storedUserId !== undefined) localStorage.setItem(`framewire:${WIDGET}:user_id`, page.storedUserId);
  if (page.storedSessionId !== undefined) localStorage.setItem(`framewire:${WIDGET}:session_id`, page.storedSessionId);
  const options = { collectorUrl: 'https://collector.example', widgetId: WIDGET, jitter: 0 };
  const sent: Sent[] = [];
  const deps = { fetch: collectorFetch(sent), log: createLogger('EventQueue', false) };
  const clicks = createClickQueue(options, deps);
  const analytics = createAnalyticsQueue(options, deps);
  queues.push(clicks, analytics);
  const storage = createNamespacedStorage({ widgetId: WIDGET });
  const track = createTrack({ clicks, analytics }, window, () => storedUserId(storage));
  return { clicks, analytics, storage, track, sent, api: createHostApi(storage, track) };
}

/** Sends what the queues hold (a flush stops when less than a full batch waits: again, a bounded number of times) and checks that the collector took every event. */
async function expectAllAccepted(host: ReturnType<typeof hostPage>, queued: number): Promise<void> {
  const { sent } = host;
  for (let round = 0; round < 20 && host.clicks.size() + host.analytics.size() > 0; round++) {
    await Promise.all([host.clicks.flush(), host.analytics.flush()]);
  }
  for (const request of sent) {
    expect(request.status, JSON.stringify(request.body)).toBe(200);
    expect(request.body.failed).toEqual([]);
    expect([...(request.body.accepted ?? []), ...(request.body.duplicates ?? [])].sort()).toEqual([...request.ids].sort());
  }
  expect(sent.reduce((sum, request) => sum + request.ids.length, 0)).toBe(queued);
  expect(host.clicks.size() + host.analytics.size()).toBe(0);
}

// ---- Arbitraries ---------------------------------------------------------------------

const ODD = ['a', 'é', '€', '😀', '\0', '\ud800', '\udc00', ' '];

/** Text around a limit: short odd strings, long plain ones, and runs of one character near `max`. */
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), weight: 6 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ODD), fc.integer({ min: -3, max: 3 }), fc.constantFrom('', '', 'x', '😀', '\0'))
        .map(([char, delta, tail]) => char.repeat(Math.max(0, Math.floor((max + delta) / char.length))) + tail),
      weight: 2,
    },
  );
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });

const eventId = fc.oneof(
  { arbitrary: fc.uuid(), weight: 8 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 66 }), weight: 1 },
  { arbitrary: fc.constantFrom('#1', '-a', 'x'.repeat(65)), weight: 1 },
);
const timestamp = fc.integer({ min: NOW - config.maxEventAgeMs, max: NOW + config.maxFutureSkewMs });

const key = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 8 }), weight: 12 },
  {
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'k'.repeat(64), 'k'.repeat(65), 'a\0', '\udc00', '😀'.repeat(32)),
    weight: 1,
  },
);
const leaf = fc.oneof(
  { arbitrary: fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), text(1024)), weight: 12 },
  { arbitrary: fc.oneof(fc.double(), fc.constant(undefined)), weight: 1 },
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(key, tie('json'), { maxKeys: 4 })),
}));
const properties = fc.oneof(
  { arbitrary: fc.dictionary(key, json, { maxKeys: 6 }), weight: 4 },
  { arbitrary: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), text(1024), { maxKeys: 6 }), weight: 2 },
  { arbitrary: fc.constantFrom([], 'p', null, new Date(0)), weight: 1 },
);

const clickEvent = fc.record(
  {
    type: fc.constant('click' as const),
    id: eventId,
    timestamp,
    sessionId: text(128),
    offerId: text(128),
    questionId: optional(text(128)),
    buttonVariantId: optional(text(128)),
  },
  { requiredKeys: ['type', 'id', 'timestamp', 'sessionId', 'offerId'] },
);
const analyticsEvent = fc.record(
  {
    type: fc.constant('analytics' as const),
    id: eventId,
    timestamp,
    sessionId: text(128),
    name: text(100),
    category: optional(text(64)),
    anonymousId: optional(text(128)),
    userId: optional(text(128)),
    properties: optional(properties),
  },
  { requiredKeys: ['type', 'id', 'timestamp', 'sessionId', 'name'] },
);
const trackCall = fc.oneof(
  { arbitrary: fc.array(fc.oneof(clickEvent, analyticsEvent), { minLength: 1, maxLength: 3 }), weight: 4 },
  { arbitrary: fc.array(fc.oneof(clickEvent, analyticsEvent), { minLength: 1, maxLength: 25 }), weight: 1 },
);

type Page = {
  path: string;
  utm: Record<string, string | undefined>;
  referrer: string;
  userAgent: string;
  storedUserId: string | undefined;
  storedSessionId: string | undefined;
};
const page: fc.Arbitrary<Page> = fc.record({
  path: text(2100),
  utm: fc.record({
    source: optional(text(256)),
    medium: optional(text(256)),
    campaign: optional(text(256)),
    term: optional(text(256)),
    content: optional(text(256)),
  }),
  referrer: fc.oneof(fc.constant(''), text(2100)),
  userAgent: text(1024),
  storedUserId: optional(text(128)),
  storedSessionId: optional(text(128)),
});

// ---- Properties ----------------------------------------------------------------------

describe('the collector contract', () => {
  test('every widget id init accepts, the collector accepts, and no other', async () => {
    const widgetId = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,66}$/),
      fc.stringMatching(/^[A-Za-z0-9_.:-]{1,66}$/),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom('_shop', '-shop', 'shop.eu', 'a:b', 'x'.repeat(64), 'x'.repeat(65), 'shop_1-eu'),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(widgetId, async (id) => {
        const embedAccepts = resolveEmbedConfig({ widgetId: id, widgetUrl: WIDGET_URL }).ok;
        const answer = await collector.app.inject({ method: 'POST', url: '/api/track/click/batch', payload: { widgetId: id, events: [] } });
        expect(answer.statusCode === 200, `${JSON.stringify(id)}: ${answer.body}`).toBe(embedAccepts);
        if (embedAccepts) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(100);
  }, 60_000);

  test('every event the track gate and createTrack accept, the queues deliver and the collector accepts', async () => {
    let delivered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(page, fc.array(trackCall, { minLength: 1, maxLength: 3 }), async (pageFacts, calls) => {
        const host = hostPage(pageFacts);
        let queued = 0;
        for (const events of calls) {
          // What the widget posts arrives structured-cloned, then meets the gate.
          const message = structuredClone({ id: 'c1', type: 'APPLY', path: ['track'], argumentList: [{ type: 'RAW', value: events }] });
          const parsed = parseCallMessage(message);
          const result = parsed.ok ? host.api.track(...(parsed.args as [TrackEvent[]])) : null;
          if (result?.ok) queued += result.value.queued;
          else refused++;
        }
        await expectAllAccepted(host, queued);
        delivered += queued;
      }),
      { numRuns: 600 },
    );
    // Both outcomes happen often: the property is not vacuous.
    expect(delivered).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(50);
  }, 300_000);

  test('a backlog of the largest events the embed accepts leaves in requests the collector takes whole', async () => {
    const host = hostPage({
      path: 'p'.repeat(2040),
      utm: {},
      referrer: '',
      userAgent: 'U'.repeat(1000),
      storedUserId: undefined,
      storedSessionId: undefined,
    });
    const big = (n: number) => ({
      type: 'analytics' as const,
      id: `big-${n}`,
      timestamp: NOW,
      sessionId: 's1',
      name: 'widget_opened',
      properties: { a: '€'.repeat(1000), b: 'x'.repeat(900) },
    });
    // 20 events: as many as one tab's stored queue holds at this size (`maxBytes`, 128 K characters).
    for (const first of [0, 10]) {
      const events = Array.from({ length: 10 }, (_, i) => big(first + i));
      expect(host.api.track(events)).toEqual({ ok: true, value: { queued: 10 } });
    }
    expect(host.analytics.size()).toBe(20);
    await expectAllAccepted(host, 20);
    // Each event is over 7 KB as sent (20 of them are over 64 KB): the queue split the batch.
    const bytes = host.sent.reduce((sum, request) => sum + request.bytes, 0);
    expect(bytes / 20).toBeGreaterThan(7000);
    expect(host.sent.length).toBeGreaterThan(2);
  });

  test('every identify call the embed accepts queues an event the collector accepts', async () => {
    const traits = fc.oneof(
      fc.dictionary(key, fc.oneof(fc.constant(null), fc.boolean(), fc.double(), text(256)), { maxKeys: 22 }),
      fc.constantFrom(undefined, [], 'x'),
    );
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(page, fc.oneof(text(128), fc.constant(null)), traits, async (pageFacts, userId, given) => {
        const host = hostPage(pageFacts);
        let refused = false;
        try {
          identify(host.storage, host.track, createLogger('FramewireEmbed', false), userId, given);
        } catch (error) {
          // Refused at the call, and only as a bad call (INVALID_CONFIG).
          expect(isFramewireError(error, ErrorCode.INVALID_CONFIG)).toBe(true);
          refused = true;
        }
        // Whatever identify queued (its event, with the page's context) must be accepted;
        // a refused call queues nothing.
        const queued = host.analytics.size();
        if (refused) expect(queued).toBe(0);
        await expectAllAccepted(host, queued);
        delivered += queued;
      }),
      { numRuns: 200 },
    );
    expect(delivered).toBeGreaterThan(20);
  }, 120_000);
});
