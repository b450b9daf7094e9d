import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import type { EventRow, EventStore } from '../../server';
import { nearestRankIndex } from '../../server/analytics/conversation-figures';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { eventRow, referenceSessions } from './support/analytics-rows';
import { insertConversations, openRawDatabase, referenceConversationFigures } from './support/conversation-rows';
import type { ConversationSpec, RawDatabase } from './support/conversation-rows';
import { ENGINES } from './support/engines';
import { ingest } from './support/ingest';
import type { EngineFixture } from './support/engines';

const MIN = 60_000;
/** 23:00 UTC, so that generated sessions and messages straddle midnight. */
const BASE = Date.UTC(2026, 10, 25, 23, 0, 0);
const FIRST_DAY = Math.floor(BASE / DAY_MS) - 1;
const RANGE = { widgetId: 'demo', from: isoDay(FIRST_DAY), to: isoDay(FIRST_DAY + 3) };
const FIGURES = ['conversations', 'sessionsWithConversationRate', 'messagesSentPerSession', 'messagesReceivedPerSession', 'firstResponseMedianMs', 'firstResponseP90Ms'] as const;
const figuresOf = (summary: Record<(typeof FIGURES)[number], unknown>) => Object.fromEntries(FIGURES.map((name) => [name, summary[name]]));

/** Times on a 5-minute grid from an hour before `BASE`: exact 30-minute distances to a session's last event are common. */
const slotTime = (slot: number) => BASE - 60 * MIN + slot * 5 * MIN;

/** Events of 1–3 visitors (`v1`–`v3`), and conversations of `v1`–`v4` (`v4` has no events) with messages of every author. */
const dataArbitrary = fc.record({
  events: fc.array(fc.record({ visitor: fc.constantFrom('v1', 'v2', 'v3'), slot: fc.integer({ min: 0, max: 60 }) }), { minLength: 1, maxLength: 30 }),
  conversations: fc.array(
    fc.record({
      visitor: fc.constantFrom('v1', 'v2', 'v3', 'v4'),
      slot: fc.integer({ min: 0, max: 60 }),
      messages: fc.array(fc.record({ author: fc.constantFrom('visitor', 'visitor', 'agent', 'bot'), after: fc.integer({ min: 0, max: 30 }) }), { maxLength: 6 }),
    }),
    { maxLength: 5 },
  ),
});

describe('nearestRankIndex', () => {
  it('gives the index of rank ⌈p/100 · n⌉, at least the first', () => {
    expect([1, 2, 3, 4, 10].map((n) => nearestRankIndex(n, 50))).toEqual([0, 0, 1, 1, 4]);
    expect([1, 2, 9, 10, 11].map((n) => nearestRankIndex(n, 90))).toEqual([0, 1, 8, 8, 9]);
  });
});

describe.each(ENGINES)('conversation analytics on the $name store', ({ name, create }) => {
  let fixture: EngineFixture;
  let store: EventStore;
  let raw: RawDatabase;

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    const url = await fixture.freshDatabaseUrl();
    store = await openStore({ databaseUrl: url });
    raw = await openRawDatabase(url);
  });
  afterEach(async () => {
    await raw.close();
    await store.close();
  });

  it(
    'computes the summary conversation figures of every range of days equal to a from-scratch computation over the sessions and conversations',
    async () => {
      await fc.assert(
        fc.asyncProperty(dataArbitrary, async (data) => {
          const widgetId = `w${Math.random().toString(36).slice(2, 10)}`;
          const rows: EventRow[] = data.events.map((e, i) => eventRow({ widgetId, eventId: `e${i}`, ts: slotTime(e.slot), sessionId: e.visitor }));
          await ingest(store, rows);
          const specs: ConversationSpec[] = data.conversations.map((c, i) => ({
            id: `${widgetId}-c${i}`,
            widgetId,
            anonymousId: c.visitor,
            userId: null,
            createdAt: slotTime(c.slot),
            messages: c.messages.map((m) => ({ author: m.author, createdAt: slotTime(c.slot + m.after) })),
          }));
          await insertConversations(raw, specs);
          const sessions = referenceSessions(rows);
          for (let from = FIRST_DAY; from <= FIRST_DAY + 3; from++) {
            for (let to = from; to <= FIRST_DAY + 3; to++) {
              const summary = await store.summary({ widgetId, from: isoDay(from), to: isoDay(to) });
              expect(figuresOf(summary), `${isoDay(from)}..${isoDay(to)}`).toEqual(referenceConversationFigures(sessions, specs, { first: from, last: to }));
            }
          }
        }),
        { numRuns: name === 'sqlite' ? 60 : 15 },
      );
    },
    120_000,
  );

  it('counts a session as having a conversation when a message falls between its first event and 30 minutes after its last, of any author', async () => {
    await ingest(store, [
      eventRow({ eventId: 'a1', ts: BASE, sessionId: 'a' }),
      eventRow({ eventId: 'a2', ts: BASE + 10 * MIN, sessionId: 'a' }),
      eventRow({ eventId: 'b1', ts: BASE, sessionId: 'b' }),
      eventRow({ eventId: 'c1', ts: BASE, sessionId: 'c' }),
      eventRow({ eventId: 'd1', ts: BASE, sessionId: 'd' }),
    ]);
    await insertConversations(raw, [
      // 29 min 59 s after a's last event: during the session.
      { id: 'ca', widgetId: 'demo', anonymousId: 'a', userId: null, createdAt: BASE, messages: [{ author: 'visitor', createdAt: BASE + 40 * MIN - 1000 }] },
      // Exactly 30 minutes after b's last event: the session has ended.
      { id: 'cb', widgetId: 'demo', anonymousId: 'b', userId: null, createdAt: BASE, messages: [{ author: 'visitor', createdAt: BASE + 30 * MIN }] },
      // Only a reply, during the session, in a conversation started before the range: it counts.
      { id: 'cc', widgetId: 'demo', anonymousId: 'c', userId: null, createdAt: BASE - 3 * DAY_MS, messages: [{ author: 'agent', createdAt: BASE + MIN }] },
      // Another widget's conversation of the same browser id does not.
      { id: 'cd', widgetId: 'other', anonymousId: 'd', userId: null, createdAt: BASE, messages: [{ author: 'visitor', createdAt: BASE + MIN }] },
    ]);
    const summary = await store.summary(RANGE);
    expect(summary.sessions).toBe(4);
    expect(summary.sessionsWithConversationRate).toBe(2 / 4);
    expect(summary.conversations).toBe(2);
    expect(summary.messagesSentPerSession).toBe(2 / 4);
    expect(summary.messagesReceivedPerSession).toBe(1 / 4);
    // The analytics events' counters are a separate figure, untouched by conversations.
    expect(summary.messagesSent).toBe(0);
  });

  it('gives nearest-rank first response percentiles over the conversations started in the range that have a reply, null when none has', async () => {
    expect(await store.summary(RANGE)).toMatchObject({ conversations: 0, firstResponseMedianMs: null, firstResponseP90Ms: null, sessionsWithConversationRate: 0 });
    const answered = (i: number, replyAfterMs: number): ConversationSpec => ({
      id: `c${i}`,
      widgetId: 'demo',
      anonymousId: `v${i}`,
      userId: null,
      createdAt: BASE,
      messages: [
        { author: 'visitor', createdAt: BASE + MIN },
        { author: i % 2 === 0 ? 'agent' : 'bot', createdAt: BASE + MIN + replyAfterMs },
        { author: 'agent', createdAt: BASE + MIN + replyAfterMs + 1 },
      ],
    });
    await insertConversations(raw, [
      ...[7, 1, 10, 3, 9, 2, 8, 4, 6, 5].map((seconds, i) => answered(i, seconds * 1000)),
      // Unanswered, and a reply before any visitor message: neither has a first response.
      { id: 'quiet', widgetId: 'demo', anonymousId: 'q', userId: null, createdAt: BASE, messages: [{ author: 'visitor', createdAt: BASE }] },
      { id: 'outbound', widgetId: 'demo', anonymousId: 'o', userId: null, createdAt: BASE, messages: [{ author: 'agent', createdAt: BASE }] },
      // Started before the range.
      { ...answered(99, 600_000), id: 'early', createdAt: BASE - 3 * DAY_MS },
    ]);
    expect(await store.summary(RANGE)).toMatchObject({ conversations: 12, firstResponseMedianMs: 5000, firstResponseP90Ms: 9000 });
  });

  it('deletes a person’s conversations with their messages and deliveries by anonymous id or user id, and keeps the others', async () => {
    await ingest(store, [eventRow({ eventId: 'e1', ts: BASE, sessionId: 'browser-1', userId: 'user-42' })]);
    const convo = (id: string, anonymousId: string, userId: string | null, widgetId = 'demo'): ConversationSpec => ({
      id,
      widgetId,
      anonymousId,
      userId,
      createdAt: BASE,
      messages: [
        { author: 'visitor', createdAt: BASE + MIN },
        { author: 'agent', createdAt: BASE + 2 * MIN },
      ],
    });
    await insertConversations(raw, [
      convo('c1', 'browser-1', null), // linked to user-42 through the events
      convo('c2', 'browser-9', 'user-42'), // linked by its own user id
      convo('c3', 'browser-3', null),
      convo('c4', 'browser-1', null, 'other'),
    ]);
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'user-42' })).toEqual({
      widgetId: 'demo',
      id: 'user-42',
      deletedEvents: 1,
      deletedSessions: 1,
      deletedConversations: 2,
      deletedMessages: 4,
    });
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'browser-3' })).toMatchObject({ deletedConversations: 1, deletedMessages: 2 });
    expect(await raw.count('conversations')).toBe(1);
    expect(await raw.count('conversation_messages')).toBe(2);
    expect(await raw.count('webhook_deliveries')).toBe(1);
    expect(await store.deleteVisitor({ widgetId: 'demo', id: 'browser-3' })).toMatchObject({ deletedConversations: 0, deletedMessages: 0 });
  });

  it('retention deletes conversations idle for longer than the raw-event retention, in chunks, with their messages and deliveries', async () => {
    const now = BASE + 200 * DAY_MS;
    const convo = (id: string, lastMessageAgeDays: number): ConversationSpec => ({
      id,
      widgetId: 'demo',
      anonymousId: id,
      userId: null,
      createdAt: now - 300 * DAY_MS,
      messages: [
        { author: 'visitor', createdAt: now - 300 * DAY_MS },
        { author: 'visitor', createdAt: now - lastMessageAgeDays * DAY_MS },
      ],
    });
    await insertConversations(raw, [convo('old-1', 95), convo('old-2', 91), convo('old-3', 120), convo('recent', 89)]);
    const progress: number[] = [];
    const policy = { eventsMs: 90 * DAY_MS, sessionsMs: 365 * DAY_MS, eventChunk: 10, sessionChunk: 10, conversationChunk: 2 };
    const result = await store.applyRetention(policy, now, (p) => {
      if (p.table === 'conversations') progress.push(p.deletedSoFar);
    });
    expect(result).toMatchObject({ deletedConversations: 3, deletedMessages: 6 });
    expect(progress).toEqual([2, 3]);
    expect(await raw.count('conversations')).toBe(1);
    expect(await raw.count('conversation_messages')).toBe(2);
    expect(await raw.count('webhook_deliveries')).toBe(2);
    expect(await store.applyRetention(policy, now)).toMatchObject({ deletedConversations: 0, deletedMessages: 0 });
  });
});
