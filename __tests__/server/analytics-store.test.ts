import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainAnalytics, openStore, parseDatabaseUrl } from '../../server';
import type { EventRow, EventStore } from '../../server';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import type { DailyCounters } from '../../lib/protocol/analytics-api';
import { eventRow, referenceDaily, referenceOffers, referenceSessions } from './support/analytics-rows';
import { ENGINES } from './support/engines';
import { ingest } from './support/ingest';
import { rawSql } from './support/raw-sql';
import type { EngineFixture } from './support/engines';

const MIN = 60_000;
/** 23:00 UTC, so that generated events straddle midnight. */
const BASE = Date.UTC(2026, 10, 25, 23, 0, 0);
const RANGE = { widgetId: 'demo', from: isoDay(BASE / DAY_MS - 1), to: isoDay(BASE / DAY_MS + 2) };
const NAMES = ['widget_opened', 'message_sent', 'message_received', 'error', 'widget_loaded', 'offer_shown', 'offer_shown'] as const;
/** Offer ids in an order where code-unit order and a locale's differ (`Zeta` < `alpha` < `ärger`). */
const OFFERS = ['alpha', 'Zeta', 'ärger'] as const;
/** Variants as clicks and `offer_shown` carry them: absent, empty and null all mean `"default"`. */
const VARIANTS = ['a', 'b', 'default', '', null, undefined] as const;
/** What an `offer_shown` carries as its `offerId`: usable, or one that is stored but not counted. */
const SHOWN_OFFERS = [...OFFERS, ...OFFERS, '', 42, null, undefined, 'x'.repeat(129)] as const;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Random events: 1–3 visitors, times on a 5-minute grid over 4 h (exact 30-minute gaps are
 * common); clicks of offers and variants, `offer_shown` events with usable and unusable offer
 * ids; about a quarter of them marked as bot events (which the analytics leave out).
 */
const eventsArbitrary = fc
  .array(
    fc.record({
      visitor: fc.constantFrom('v1', 'v2', 'v3'),
      slot: fc.integer({ min: 0, max: 48 }),
      click: fc.boolean(),
      name: fc.constantFrom(...NAMES),
      offer: fc.constantFrom(...OFFERS),
      shownOffer: fc.constantFrom(...SHOWN_OFFERS),
      variant: fc.constantFrom(...VARIANTS),
      bot: fc.constantFrom(false, false, false, true),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((specs) =>
    specs.map((spec, i) => {
      const shown = !spec.click && spec.name === 'offer_shown';
      const properties: Record<string, unknown> = { questionId: 'q1' };
      if (spec.shownOffer !== undefined) properties.offerId = spec.shownOffer;
      if (spec.variant !== undefined) properties.buttonVariantId = spec.variant;
      return eventRow({
        eventId: `e${String(i).padStart(3, '0')}`,
        ts: BASE + spec.slot * 5 * MIN,
        sessionId: spec.visitor,
        kind: spec.click ? 'click' : 'analytics',
        name: spec.click ? 'offer_click' : spec.name,
        offerId: spec.click ? spec.offer : null,
        questionId: spec.click ? 'q1' : null,
        buttonVariantId: spec.click ? (spec.variant ?? null) : null,
        properties: shown ? properties : null,
        bot: spec.bot,
      });
    }),
  );

/**
 * The events in a random order, cut into random batches, some sent twice, and after which
 * batches the analytics fold what is queued (folds of one batch, of several, or all at the end).
 */
const deliveryArbitrary = eventsArbitrary.chain((rows) =>
  fc.tuple(
    fc.constant(rows),
    fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
    fc.array(fc.integer({ min: 1, max: 8 }), { minLength: rows.length, maxLength: rows.length }),
    fc.array(fc.integer({ min: 0, max: rows.length - 1 }), { maxLength: 5 }),
    fc.array(fc.boolean(), { minLength: rows.length + 5, maxLength: rows.length + 5 }),
  ),
);

function batches(order: readonly EventRow[], sizes: readonly number[], resend: readonly number[]): EventRow[][] {
  const out: EventRow[][] = [];
  for (let i = 0, k = 0; i < order.length; k++) {
    const size = sizes[k] ?? 1;
    out.push(order.slice(i, i + size));
    i += size;
  }
  for (const index of resend) out.push([order[index] as EventRow]);
  return out;
}

/** Takes a database back to before migration 4: no `daily_offers`, the migration not recorded. */
async function forgetMigration4(databaseUrl: string): Promise<void> {
  const sql = 'DROP TABLE daily_offers; DELETE FROM schema_migrations WHERE version = 4';
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === 'sqlite') {
    const db = new Database(target.filename);
    db.exec(sql);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dayCounters = (days: readonly (DailyCounters & { date: string })[]) =>
  Object.fromEntries(days.filter((d) => d.events > 0).map(({ date, ...counters }) => [date, counters]));

describe.each(ENGINES)('analytics on the $name store', ({ name, create }) => {
  let fixture: EngineFixture;
  let store: EventStore;

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    store = await openStore({ databaseUrl: await fixture.freshDatabaseUrl() });
  });
  afterEach(async () => {
    await store.close();
  });

  it(
    'keeps daily counters, sessions and offer figures equal to the same aggregates computed from the raw events, whatever the order, batching and duplicates',
    async () => {
      await fc.assert(
        fc.asyncProperty(deliveryArbitrary, async ([all, order, sizes, resend, folds]) => {
          const widgetId = `w${Math.random().toString(36).slice(2, 10)}`;
          const own = (list: readonly EventRow[]) => list.map((row) => ({ ...row, widgetId }));
          for (const [k, batch] of batches(own(order), sizes, resend).entries()) {
            await store.insertEvents(batch);
            if (folds[k] === true) await store.advanceAnalytics({ maxBatches: 1 + (k % 3) });
          }
          await drainAnalytics(store);
          // Every figure is of the events that are not bot events; bot events are only counted.
          const rows = all.filter((row) => !row.bot);
          const botDays = all.filter((row) => row.bot).map((row) => Math.floor(row.ts / DAY_MS));

          const range = { ...RANGE, widgetId };
          const expectedDays = referenceDaily(own(rows));
          const trends = await store.trends(range);
          expect(dayCounters(trends.days)).toEqual(Object.fromEntries([...expectedDays].map(([day, counters]) => [isoDay(day), counters])));

          const expectedSessions = referenceSessions(own(rows));
          const page = await store.listSessions({ ...range, limit: 100, cursor: null });
          const shape = (list: { visitorId: string; firstTs: number; lastTs: number; events: number; clicks: number }[]) =>
            list.map((s) => `${s.visitorId}@${s.firstTs}-${s.lastTs}:${s.events}/${s.clicks}`).sort();
          expect(shape(page.sessions.map((s) => ({ ...s, firstTs: s.startedAt, lastTs: s.lastSeenAt })))).toEqual(shape(expectedSessions));

          const summary = await store.summary(range);
          expect(summary.visitors).toBe(new Set(rows.map((row) => row.sessionId)).size);
          // Distinct visitors of every sub-range of days, against the raw events.
          const firstDay = Math.floor(BASE / DAY_MS) - 1;
          for (let from = firstDay; from <= firstDay + 3; from++) {
            for (let to = from; to <= firstDay + 3; to++) {
              const inRange = rows.filter((row) => Math.floor(row.ts / DAY_MS) >= from && Math.floor(row.ts / DAY_MS) <= to);
              const part = await store.summary({ widgetId, from: isoDay(from), to: isoDay(to) });
              expect(part.visitors, `visitors ${isoDay(from)}..${isoDay(to)}`).toBe(new Set(inRange.map((row) => row.sessionId)).size);
              expect(part.bots.excluded, `bots ${isoDay(from)}..${isoDay(to)}`).toBe(botDays.filter((day) => day >= from && day <= to).length);
            }
          }
          expect(summary.newVisitors).toBe(summary.visitors);
          expect(summary.sessions).toBe(expectedSessions.length);
          const devices = await store.devices({ ...range, limit: 100 });
          expect(devices.deviceTypes.reduce((sum, d) => sum + d.sessions, 0)).toBe(expectedSessions.length);
          expect(summary.events).toBe(rows.length);
          // Offers shown and clicked of every day and of the whole range, against the raw events.
          for (let day = firstDay; day <= firstDay + 3; day++) {
            const offers = await store.offers({ widgetId, from: isoDay(day), to: isoDay(day) });
            expect(offers.offers, `offers ${isoDay(day)}`).toEqual(referenceOffers(rows, { first: day, last: day }));
          }
          expect((await store.offers(range)).offers).toEqual(referenceOffers(rows, { first: firstDay, last: firstDay + 3 }));
        }),
        { numRuns: name === 'sqlite' ? 60 : 15 },
      );
    },
    120_000,
  );

  it('counts a duplicate event once, whether resent alone or inside a later batch', async () => {
    const first = eventRow({ eventId: 'a', ts: BASE + MIN });
    await ingest(store, [first, eventRow({ eventId: 'b', ts: BASE + 2 * MIN, kind: 'click', name: 'offer_click' })]);
    await ingest(store, [first]);
    await ingest(store, [eventRow({ eventId: 'c', ts: BASE + 3 * MIN }), first]);
    const summary = await store.summary(RANGE);
    expect(summary).toMatchObject({ events: 3, clicks: 1, opens: 2, sessions: 1, conversions: 1, visitors: 1, conversionRate: 1 });
  });

  it('never counts events deleted (privacy delete) after they were stored and before their fold, though the folding process kept their rows in memory', async () => {
    const lease = await store.acquireAnalyticsLease();
    expect(lease).not.toBeNull();
    try {
      await store.insertEvents([eventRow({ eventId: 'gone', sessionId: 'leaving', ts: BASE }), eventRow({ eventId: 'kept', sessionId: 'staying', ts: BASE + MIN })]);
      await store.deleteVisitor({ widgetId: 'demo', id: 'leaving' });
      await drainAnalytics(store);
      expect(await store.summary(RANGE)).toMatchObject({ events: 1, visitors: 1, sessions: 1 });
      const page = await store.listSessions({ ...RANGE, limit: 10, cursor: null });
      expect(page.sessions.map((session) => session.visitorId)).toEqual(['staying']);
    } finally {
      await lease?.release();
    }
  });

  it('folds the batches a process stored from the rows it kept, without reading them back, for one widget and several', async () => {
    const url = await fixture.freshDatabaseUrl();
    const own = await openStore({ databaseUrl: url });
    const lease = await own.acquireAnalyticsLease();
    expect(lease).not.toBeNull();
    try {
      // A process trusts kept rows only once a fold has seen the deletion epoch.
      await drainAnalytics(own);
      await own.insertEvents([eventRow({ eventId: 'a1', sessionId: 'v1', ts: BASE }), eventRow({ eventId: 'a2', sessionId: 'v1', ts: BASE + MIN })]);
      await own.insertEvents([eventRow({ eventId: 'b1', sessionId: 'v2', ts: BASE }), eventRow({ eventId: 'a1', sessionId: 'v1', ts: BASE })]);
      await own.insertEvents([eventRow({ eventId: 'c1', sessionId: 'v3', ts: BASE }), eventRow({ eventId: 'c1', widgetId: 'other', sessionId: 'v3', ts: BASE })]);
      // Behind the store's back (no deletion epoch raised): a fold that read its events back
      // would find none of them.
      await rawSql(url, 'DELETE FROM events');
      await drainAnalytics(own);
      expect(await own.summary(RANGE)).toMatchObject({ events: 4, visitors: 3 });
      expect(await own.summary({ ...RANGE, widgetId: 'other' })).toMatchObject({ events: 1, visitors: 1 });
    } finally {
      await lease?.release();
      await own.close();
    }
  });

  it('tells new from returning visitors, and moves "new" to an earlier day when an older event arrives late', async () => {
    const day1 = BASE + 2 * MIN; // 23:02, day D
    const day2 = BASE + 2 * 60 * MIN; // 01:00, day D+1
    await ingest(store, [eventRow({ eventId: 'late', ts: day2, sessionId: 'v1' })]);
    let days = (await store.trends(RANGE)).days.filter((d) => d.events > 0);
    expect(days.map((d) => [d.date, d.newVisitors])).toEqual([[isoDay(Math.floor(day2 / DAY_MS)), 1]]);

    await ingest(store, [eventRow({ eventId: 'early', ts: day1, sessionId: 'v1' })]);
    days = (await store.trends(RANGE)).days.filter((d) => d.events > 0);
    expect(days.map((d) => [d.date, d.visitors, d.newVisitors])).toEqual([
      [isoDay(Math.floor(day1 / DAY_MS)), 1, 1],
      [isoDay(Math.floor(day2 / DAY_MS)), 1, 0],
    ]);
    const summary = await store.summary(RANGE);
    expect(summary).toMatchObject({ visitors: 1, newVisitors: 1, returningVisitors: 0, sessions: 2 });
    const sessions = (await store.listSessions({ ...RANGE, limit: 10, cursor: null })).sessions;
    expect(sessions.map((s) => s.isNewVisitor)).toEqual([false, true]);
  });

  it('pages through sessions newest first with a cursor, and refuses a forged cursor', async () => {
    for (let i = 0; i < 5; i++) await ingest(store, [eventRow({ eventId: `s${i}`, ts: BASE + i * 40 * MIN, sessionId: 'v9' })]);
    const first = await store.listSessions({ ...RANGE, limit: 2, cursor: null });
    const second = await store.listSessions({ ...RANGE, limit: 2, cursor: first.nextCursor });
    const third = await store.listSessions({ ...RANGE, limit: 2, cursor: second.nextCursor });
    expect([...first.sessions, ...second.sessions, ...third.sessions].map((s) => s.sessionId)).toEqual(['s4', 's3', 's2', 's1', 's0']);
    expect(third.nextCursor).toBeNull();
    await expect(store.listSessions({ ...RANGE, limit: 2, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('breaks sessions down by source and device, and counts the sessions active in a window', async () => {
    const context = { page: 'https://shop.example/landing', referrer: 'https://www.search.example/?q=boots', utm: { source: 'newsletter', medium: 'email' }, screen: '390x844' };
    await ingest(store, [
      eventRow({ eventId: 'a', ts: BASE, context, userAgent: CHROME }),
      eventRow({ eventId: 'b', ts: BASE + MIN, sessionId: 'v2', userAgent: 'curl/8.0', context: { page: 'https://shop.example/' } }),
    ]);
    const sources = await store.trafficSources({ ...RANGE, limit: 10 });
    expect(sources.referrers).toEqual([
      { value: '(direct)', sessions: 1 },
      { value: 'search.example', sessions: 1 },
    ]);
    expect(sources.utm.source).toEqual([{ value: 'newsletter', sessions: 1 }]);
    expect(sources.landingPages.map((d) => d.value).sort()).toEqual(['https://shop.example/', 'https://shop.example/landing']);
    const devices = await store.devices({ ...RANGE, limit: 10 });
    expect(devices.deviceTypes).toEqual([
      { value: 'desktop', sessions: 1 },
      { value: 'other', sessions: 1 },
    ]);
    expect(devices.browsers).toContainEqual({ value: 'Chrome 131', sessions: 1 });
    expect(devices.screens).toEqual([{ value: '390x844', sessions: 1 }]);
    const active = await store.activeSessions({ widgetId: 'demo', now: BASE + 3 * MIN, windowMs: 5 * MIN });
    expect(active.count).toBe(2);
    expect(active.sessions.map((s) => s.visitorId)).toEqual(['v2', 'visitor-1']);
    expect((await store.activeSessions({ widgetId: 'demo', now: BASE + 10 * MIN, windowMs: 5 * MIN })).count).toBe(0);
  });

  it('counts a session of the day before as active just after midnight UTC (active sessions are found by day)', async () => {
    const midnight = (Math.floor(BASE / DAY_MS) + 1) * DAY_MS;
    await ingest(store, [
      eventRow({ eventId: 'old', ts: midnight - 20 * MIN, sessionId: 'v-old' }),
      eventRow({ eventId: 'late', ts: midnight - 2 * MIN, sessionId: 'v-late' }),
      eventRow({ eventId: 'new', ts: midnight + MIN, sessionId: 'v-new' }),
    ]);
    const active = await store.activeSessions({ widgetId: 'demo', now: midnight + 2 * MIN, windowMs: 5 * MIN });
    expect(active.count).toBe(2);
    expect(active.sessions.map((s) => s.visitorId)).toEqual(['v-new', 'v-late']);
  });

  it('keeps quotes, backslashes, SQL and unicode in visitor ids, pages and names verbatim', async () => {
    const hostile = [`o'brien\\"; DROP TABLE events; --`, 'back\\slash \\\' quote', 'héllo 👋 مرحبا ?$1 %s'];
    await ingest(store, 
      hostile.map((text, i) =>
        eventRow({ eventId: `h${i}`, ts: BASE + i * MIN, sessionId: text, name: text, context: { page: `https://shop.example/${text}`, referrer: '', utm: { source: text } } }),
      ),
    );
    const sessions = (await store.listSessions({ ...RANGE, limit: 10, cursor: null })).sessions;
    expect(sessions.map((session) => session.visitorId).sort()).toEqual([...hostile].sort());
    expect((await store.topEvents({ ...RANGE, limit: 10 })).events.map((e) => e.name).sort()).toEqual([...hostile].sort());
    expect((await store.trafficSources({ ...RANGE, limit: 10 })).utm.source.map((d) => d.value).sort()).toEqual([...hostile].sort());
    expect((await store.summary(RANGE)).visitors).toBe(3);
    expect(await store.listEvents({ widgetId: 'demo' })).toHaveLength(3);
  });

  it('lists top events by count', async () => {
    await ingest(store, [
      eventRow({ eventId: 'a', ts: BASE, name: 'message_sent' }),
      eventRow({ eventId: 'b', ts: BASE + MIN, name: 'message_sent' }),
      eventRow({ eventId: 'c', ts: BASE + 2 * MIN, name: 'widget_opened' }),
    ]);
    expect((await store.topEvents({ ...RANGE, limit: 10 })).events).toEqual([
      { name: 'message_sent', count: 2 },
      { name: 'widget_opened', count: 1 },
    ]);
    expect((await store.topEvents({ ...RANGE, limit: 1 })).events).toHaveLength(1);
  });

  describe('offers', () => {
    const shown = (eventId: string, ts: number, properties: Record<string, unknown> | null, overrides: Partial<EventRow> = {}) =>
      eventRow({ eventId, ts, name: 'offer_shown', properties, ...overrides });
    const clicked = (eventId: string, ts: number, offerId: string, buttonVariantId: string | null, overrides: Partial<EventRow> = {}) =>
      eventRow({ eventId, ts, kind: 'click', name: 'offer_click', offerId, questionId: 'q1', buttonVariantId, ...overrides });

    it('counts shown and clicked per offer and variant, clicks without a variant under "default", ordered by offer then variant', async () => {
      const nextDay = BASE + 2 * 60 * MIN; // 01:00 the next UTC day
      await ingest(store, [
        shown('s1', BASE, { offerId: 'trial', questionId: 'q1', buttonVariantId: 'b' }),
        shown('s2', BASE + MIN, { offerId: 'trial', questionId: 'q1', buttonVariantId: 'a' }, { sessionId: 'v2' }),
        shown('s3', BASE + 2 * MIN, { offerId: 'trial', questionId: 'q1', buttonVariantId: 'a' }, { sessionId: 'v3' }),
        clicked('c1', BASE + 3 * MIN, 'trial', 'a'),
        clicked('c2', BASE + 4 * MIN, 'trial', null, { sessionId: 'v4' }),
        shown('s4', nextDay, { offerId: 'Upgrade', questionId: 'q2' }),
        clicked('c3', nextDay + MIN, 'Upgrade', ''),
      ]);
      await ingest(store, [
        // Stored, not counted: no usable offer id, or not an offer_shown.
        shown('x1', BASE, { questionId: 'q1', buttonVariantId: 'a' }),
        shown('x2', BASE, { offerId: 42, buttonVariantId: 'a' }),
        shown('x3', BASE, { offerId: '' }),
        shown('x4', BASE, null),
        eventRow({ eventId: 'x5', ts: BASE, name: 'widget_opened', properties: { offerId: 'trial' } }),
        // Another widget's.
        shown('o1', BASE, { offerId: 'trial', buttonVariantId: 'a' }, { widgetId: 'other' }),
        clicked('o2', BASE, 'trial', 'a', { widgetId: 'other' }),
      ]);

      const report = await store.offers(RANGE);
      expect(report).toEqual({
        ...RANGE,
        offers: [
          // Code-unit order: upper case first, whatever the database's collation.
          { offerId: 'Upgrade', buttonVariantId: 'default', shown: 1, clicked: 1, clickThroughRate: 1 },
          { offerId: 'trial', buttonVariantId: 'a', shown: 2, clicked: 1, clickThroughRate: 0.5 },
          { offerId: 'trial', buttonVariantId: 'b', shown: 1, clicked: 0, clickThroughRate: 0 },
          { offerId: 'trial', buttonVariantId: 'default', shown: 0, clicked: 1, clickThroughRate: 0 },
        ],
      });
      const firstDay = isoDay(Math.floor(BASE / DAY_MS));
      expect((await store.offers({ widgetId: 'demo', from: firstDay, to: firstDay })).offers.map((o) => o.offerId)).toEqual(['trial', 'trial', 'trial']);
      expect((await store.offers({ widgetId: 'other', from: firstDay, to: firstDay })).offers).toEqual([
        { offerId: 'trial', buttonVariantId: 'a', shown: 1, clicked: 1, clickThroughRate: 1 },
      ]);
      expect((await store.offers({ widgetId: 'demo', from: '2020-01-01', to: '2020-01-31' })).offers).toEqual([]);
      const stored = await store.listEvents({ widgetId: 'demo', kind: 'analytics' });
      expect(stored.map((row) => row.eventId).sort()).toEqual(['s1', 's2', 's3', 's4', 'x1', 'x2', 'x3', 'x4', 'x5']);
    });

    it('reports the click-through rate as is when clicks outnumber offer_shown events', async () => {
      await ingest(store, [
        shown('s1', BASE, { offerId: 'trial', buttonVariantId: 'a' }),
        clicked('c1', BASE + MIN, 'trial', 'a'),
        clicked('c2', BASE + 2 * MIN, 'trial', 'a'),
        clicked('c3', BASE + 3 * MIN, 'trial', 'a'),
      ]);
      expect((await store.offers(RANGE)).offers).toEqual([{ offerId: 'trial', buttonVariantId: 'a', shown: 1, clicked: 3, clickThroughRate: 3 }]);
    });

    it('never counts an offer event twice, whether resent in the same batch or in a later one', async () => {
      const s1 = shown('s1', BASE, { offerId: 'trial', buttonVariantId: 'a' });
      const c1 = clicked('c1', BASE + MIN, 'trial', 'a');
      const first = await ingest(store, [s1, c1, s1, c1]);
      expect(first).toEqual({ inserted: ['s1', 'c1'], duplicates: ['s1', 'c1'] });
      const second = await ingest(store, [c1, shown('s2', BASE + 2 * MIN, { offerId: 'trial', buttonVariantId: 'a' }), s1]);
      expect(second).toEqual({ inserted: ['s2'], duplicates: ['c1', 's1'] });
      await ingest(store, [s1]);
      await ingest(store, [c1]);
      expect((await store.offers(RANGE)).offers).toEqual([{ offerId: 'trial', buttonVariantId: 'a', shown: 2, clicked: 1, clickThroughRate: 0.5 }]);
    });

    it('counts the offer events already stored when migration 4 first runs, by the same rule as ingest', async () => {
      const url = await fixture.freshDatabaseUrl();
      const nextDay = BASE + 2 * 60 * MIN;
      const rows = [
        shown('s1', BASE, { offerId: 'trial', buttonVariantId: 'a' }),
        shown('s2', BASE + MIN, { offerId: 'trial', buttonVariantId: 'a' }),
        shown('s3', BASE + MIN, { offerId: 'trial' }),
        shown('s4', BASE + MIN, { offerId: 'trial', buttonVariantId: 7 }),
        shown('s5', BASE + MIN, { offerId: 'trial', buttonVariantId: '' }),
        shown('s6', nextDay, { offerId: `o'ffer "é" 👋`, buttonVariantId: 'b' }),
        shown('x1', BASE, { offerId: 42 }),
        shown('x2', BASE, { offerId: '' }),
        shown('x3', BASE, { offerId: 'x'.repeat(129) }),
        shown('x4', BASE, { buttonVariantId: 'a' }),
        shown('x5', BASE, null),
        clicked('c1', BASE + 2 * MIN, 'trial', 'a'),
        clicked('c2', BASE + 3 * MIN, 'trial', null),
        clicked('c3', BASE + 3 * MIN, 'trial', ''),
        clicked('c4', nextDay, `o'ffer "é" 👋`, 'b'),
        clicked('o1', BASE, 'trial', 'a', { widgetId: 'other' }),
      ];
      const before = await openStore({ databaseUrl: url });
      await ingest(before, rows);
      const atIngest = await before.offers(RANGE);
      await before.close();
      expect(atIngest.offers).toEqual([
        { offerId: `o'ffer "é" 👋`, buttonVariantId: 'b', shown: 1, clicked: 1, clickThroughRate: 1 },
        { offerId: 'trial', buttonVariantId: 'a', shown: 2, clicked: 1, clickThroughRate: 0.5 },
        { offerId: 'trial', buttonVariantId: 'default', shown: 3, clicked: 2, clickThroughRate: 2 / 3 },
      ]);

      await forgetMigration4(url);
      const after = await openStore({ databaseUrl: url });
      try {
        expect(await after.offers(RANGE)).toEqual(atIngest);
        expect((await after.offers({ ...RANGE, widgetId: 'other' })).offers).toEqual([
          { offerId: 'trial', buttonVariantId: 'a', shown: 0, clicked: 1, clickThroughRate: 0 },
        ]);
        await ingest(after, [shown('s7', BASE + 5 * MIN, { offerId: 'trial', buttonVariantId: 'a' }), rows[0] as EventRow]);
        expect((await after.offers(RANGE)).offers[1]).toEqual({ offerId: 'trial', buttonVariantId: 'a', shown: 3, clicked: 1, clickThroughRate: 1 / 3 });
      } finally {
        await after.close();
      }
    });

    it('keeps the offer figures through the privacy delete and retention, like the daily counters', async () => {
      await ingest(store, [
        shown('s1', BASE, { offerId: 'trial', buttonVariantId: 'a' }, { sessionId: 'browser-1', userId: 'user-42' }),
        clicked('c1', BASE + MIN, 'trial', 'a', { sessionId: 'browser-1' }),
      ]);
      const before = await store.offers(RANGE);
      expect(await store.deleteVisitor({ widgetId: 'demo', id: 'user-42' })).toMatchObject({ deletedEvents: 2 });
      expect(await store.offers(RANGE)).toEqual(before);
      await ingest(store, [shown('s2', BASE + 2 * MIN, { offerId: 'trial', buttonVariantId: 'a' })]);
      const result = await store.applyRetention({ eventsMs: DAY_MS, sessionsMs: DAY_MS, eventChunk: 10, sessionChunk: 10 }, BASE + 400 * DAY_MS);
      expect(result.deletedEvents).toBe(1);
      expect((await store.offers(RANGE)).offers).toEqual([{ offerId: 'trial', buttonVariantId: 'a', shown: 2, clicked: 1, clickThroughRate: 0.5 }]);
    });
  });

  it('deletes everything of a person by user id, anonymous id or client session id, and keeps other visitors', async () => {
    await ingest(store, [
      eventRow({ eventId: 'a', ts: BASE, sessionId: 'browser-1', userId: 'user-42' }),
      eventRow({ eventId: 'b', ts: BASE + MIN, sessionId: 'browser-1' }),
      eventRow({ eventId: 'c', ts: BASE + 2 * MIN, sessionId: 'browser-2', anonymousId: 'anon-7' }),
      eventRow({ eventId: 'd', ts: BASE + 3 * MIN, sessionId: 'browser-3' }),
    ]);
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'user-42' })).toEqual({ widgetId: 'demo', id: 'user-42', deletedEvents: 2, deletedSessions: 1, deletedConversations: 0, deletedMessages: 0 });
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'anon-7' })).toMatchObject({ deletedEvents: 1, deletedSessions: 1 });
    const left = await store.listEvents({ widgetId: 'demo' });
    expect(left.map((row) => row.eventId)).toEqual(['d']);
    expect((await store.listSessions({ ...RANGE, limit: 10, cursor: null })).sessions.map((s) => s.visitorId)).toEqual(['browser-3']);
    // The daily rollups hold no identifiers and keep their sums.
    expect(await store.summary(RANGE)).toMatchObject({ visitors: 3, events: 4 });
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'nobody' })).toMatchObject({ deletedEvents: 0, deletedSessions: 0 });
  });

  it('retention deletes old raw events in chunks and old sessions, keeping the daily counters', async () => {
    const now = BASE + 400 * DAY_MS;
    const old = (i: number, ageDays: number) => eventRow({ eventId: `old-${ageDays}-${i}`, ts: now - ageDays * DAY_MS + i * MIN, sessionId: `v-${ageDays}` });
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => old(i, 100)),
      ...Array.from({ length: 3 }, (_, i) => old(i, 400)),
      ...Array.from({ length: 4 }, (_, i) => old(i, 10)),
    ];
    await ingest(store, rows);
    const wholeRange = { widgetId: 'demo', from: isoDay(Math.floor((now - 401 * DAY_MS) / DAY_MS)), to: isoDay(Math.floor(now / DAY_MS)) };
    const before = await store.trends(wholeRange);
    const progress: number[] = [];
    const result = await store.applyRetention({ eventsMs: 90 * DAY_MS, sessionsMs: 365 * DAY_MS, eventChunk: 3, sessionChunk: 2 }, now, (p) => {
      if (p.table === 'events') progress.push(p.deletedSoFar);
    });
    expect(result).toMatchObject({ deletedEvents: 10, deletedSessions: 1 });
    expect(progress).toEqual([3, 6, 9, 10]);
    expect((await store.listEvents({ widgetId: 'demo' })).map((row) => row.eventId).sort()).toEqual(rows.slice(10).map((row) => row.eventId).sort());
    const sessions = await store.listSessions({ ...wholeRange, limit: 10, cursor: null });
    expect(sessions.sessions.map((s) => s.visitorId).sort()).toEqual(['v-10', 'v-100']);
    const after = await store.trends(wholeRange);
    expect(after.days.map((d) => d.events)).toEqual(before.days.map((d) => d.events));
    expect(await store.applyRetention({ eventsMs: 90 * DAY_MS, sessionsMs: 365 * DAY_MS, eventChunk: 3, sessionChunk: 2 }, now)).toMatchObject({
      deletedEvents: 0,
      deletedSessions: 0,
      deletedVisitorRows: 0,
    });
  });
});

describe('analytics on one PostgreSQL database shared by two stores', () => {
  const fixture = ENGINES[1].create();
  afterAll(async () => {
    await fixture.teardown();
  });

  it('sessionizes one visitor correctly when two collectors ingest its events at the same time', async () => {
    const url = await fixture.freshDatabaseUrl();
    const [a, b] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
    try {
      const rows = Array.from({ length: 60 }, (_, i) => eventRow({ eventId: `p${String(i).padStart(2, '0')}`, ts: BASE + (i % 30) * 4 * MIN + (i >= 30 ? MIN : 0), sessionId: 'shared' }));
      await Promise.all(rows.map((row, i) => ingest(i % 2 === 0 ? a : b, [row])));
      const summary = await a.summary(RANGE);
      const expected = referenceSessions(rows);
      expect(summary.sessions).toBe(expected.length);
      expect(summary.events).toBe(60);
      expect(summary.visitors).toBe(1);
      const page = await b.listSessions({ ...RANGE, limit: 10, cursor: null });
      expect(page.sessions.map((s) => s.events).sort()).toEqual(expected.map((s) => s.events).sort());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);
});
