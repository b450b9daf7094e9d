import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import type { EventStore } from '../../server';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { NewConversation, NewMessage } from '../../server/conversations/types';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { rawSql } from './support/raw-sql';

const T0 = Date.UTC(2026, 0, 1);

const start = (overrides: Partial<NewConversation> = {}): NewConversation => ({
  id: 'conv-1',
  widgetId: 'shop',
  anonymousId: 'anon-1',
  userId: null,
  secretHash: 'a'.repeat(64),
  now: T0,
  ...overrides,
});

const message = (overrides: Partial<NewMessage> = {}): NewMessage => ({
  conversationId: 'conv-1',
  id: 'm-1',
  author: 'visitor',
  text: 'Hello',
  now: T0 + 1000,
  ...overrides,
});

describe.each(ENGINES)('the $name conversation store', ({ create }) => {
  let fixture: EngineFixture;
  let url: string;
  let store: EventStore;

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    url = await fixture.freshDatabaseUrl();
    store = await openStore({ databaseUrl: url });
  });
  afterEach(async () => {
    await store.close();
  });

  it('starts a conversation once and says so when the id is taken', async () => {
    const first = await store.startConversation(start({ userId: 'user-7' }));
    expect(first).toEqual({
      outcome: 'created',
      conversation: {
        id: 'conv-1',
        widgetId: 'shop',
        anonymousId: 'anon-1',
        userId: 'user-7',
        status: 'open',
        createdAt: T0,
        lastActivityAt: T0,
        lastSeq: 0,
        lastMessage: null,
        unreadByAgent: 0,
      },
    });
    expect(await store.startConversation(start({ widgetId: 'other', secretHash: 'b'.repeat(64) }))).toEqual({ outcome: 'exists' });
    expect(await store.conversationAccess('conv-1')).toEqual({ id: 'conv-1', widgetId: 'shop', secretHash: 'a'.repeat(64) });
    expect(await store.conversationAccess('nope')).toBeNull();
  });

  it('numbers messages 1, 2, 3 and reads them in pages after a cursor', async () => {
    await store.startConversation(start());
    for (let i = 1; i <= 5; i++) {
      const posted = await store.postMessage(message({ id: `m-${i}`, text: `text ${i}`, author: i % 2 === 0 ? 'agent' : 'visitor', now: T0 + i }));
      expect(posted).toMatchObject({ outcome: 'created', widgetId: 'shop', reopened: false, message: { seq: i, id: `m-${i}`, conversationId: 'conv-1' } });
    }
    const page = await store.readMessages({ conversationId: 'conv-1', after: 1, limit: 2 });
    expect(page).toEqual({
      messages: [
        { id: 'm-2', conversationId: 'conv-1', author: 'agent', text: 'text 2', createdAt: T0 + 2, seq: 2 },
        { id: 'm-3', conversationId: 'conv-1', author: 'visitor', text: 'text 3', createdAt: T0 + 3, seq: 3 },
      ],
      next: 3,
      more: true,
      status: 'open',
    });
    expect(await store.readMessages({ conversationId: 'conv-1', after: 3, limit: 2 })).toMatchObject({ next: 5, more: false });
    expect(await store.readMessages({ conversationId: 'conv-1', after: 5, limit: 2 })).toEqual({ messages: [], next: 5, more: false, status: 'open' });
    expect(await store.readMessages({ conversationId: 'nope', after: 0, limit: 2 })).toBeNull();
  });

  it('answers a repeated message id with the stored message and a different text with a conflict', async () => {
    await store.startConversation(start());
    const first = await store.postMessage(message());
    const again = await store.postMessage(message({ now: T0 + 9999 }));
    expect(first.outcome).toBe('created');
    expect(again).toEqual({ outcome: 'repeated', message: first.outcome === 'created' ? first.message : null });
    expect(await store.postMessage(message({ text: 'Something else' }))).toEqual({ outcome: 'conflict' });
    expect(await store.postMessage(message({ author: 'agent' }))).toEqual({ outcome: 'conflict' });
    expect((await store.getConversation('conv-1'))?.lastSeq).toBe(1);
  });

  it('says not_found for a message to an unknown conversation and stores nothing', async () => {
    expect(await store.postMessage(message({ conversationId: 'ghost' }))).toEqual({ outcome: 'not_found' });
    expect(await store.readMessages({ conversationId: 'ghost', after: 0, limit: 10 })).toBeNull();
  });

  it('gives concurrent posts to one conversation seqs without gaps or duplicates, and stores retries once', async () => {
    await store.startConversation(start());
    const posts = Array.from({ length: 40 }, (_, i) => message({ id: `m-${i % 20}`, text: `text ${i % 20}` }));
    const outcomes = await Promise.all(posts.map((post) => store.postMessage(post)));
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(20);
    expect(outcomes.filter((o) => o.outcome === 'repeated')).toHaveLength(20);
    const page = await store.readMessages({ conversationId: 'conv-1', after: 0, limit: 100 });
    expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(page?.messages.map((m) => m.id)).size).toBe(20);
    expect((await store.getConversation('conv-1'))?.lastSeq).toBe(20);
  });

  it('counts unread visitor messages after the read mark, which only moves forward and never past the last message', async () => {
    await store.startConversation(start());
    await store.postMessage(message({ id: 'v1' }));
    await store.postMessage(message({ id: 'v2', text: 'anyone?' }));
    await store.postMessage(message({ id: 'a1', author: 'agent', text: 'Hi!' }));
    await store.postMessage(message({ id: 'v3', text: 'thanks' }));
    expect((await store.getConversation('conv-1'))?.unreadByAgent).toBe(3);
    expect(await store.markRead('conv-1', 'shop', 2)).toBe(true);
    expect((await store.getConversation('conv-1'))?.unreadByAgent).toBe(1);
    await store.markRead('conv-1', 'shop', 1);
    expect((await store.getConversation('conv-1'))?.unreadByAgent).toBe(1);
    await store.markRead('conv-1', 'shop', 99);
    expect((await store.getConversation('conv-1'))?.unreadByAgent).toBe(0);
    const [row] = await rawSql(url, `SELECT agent_read_seq FROM conversations WHERE id = 'conv-1'`);
    expect(Number(row?.agent_read_seq)).toBe(4);
    expect(await store.markRead('conv-1', 'other-widget', 4)).toBe(false);
  });

  it('lists a widget’s conversations by latest activity with their last message, in pages, filtered by status', async () => {
    for (let i = 1; i <= 5; i++) await store.startConversation(start({ id: `c-${i}`, now: T0 + i }));
    await store.startConversation(start({ id: 'elsewhere', widgetId: 'other', now: T0 + 100 }));
    await store.postMessage(message({ conversationId: 'c-2', id: 'late', text: 'bump', now: T0 + 50 }));
    await store.setConversationStatus({ conversationId: 'c-4', widgetId: 'shop', status: 'closed', now: T0 + 60 });

    const first = await store.listConversations({ widgetId: 'shop', status: null, cursor: null, limit: 2 });
    expect(first.conversations.map((c) => c.id)).toEqual(['c-2', 'c-5']);
    expect(first.conversations[0]).toMatchObject({ lastSeq: 1, unreadByAgent: 1, lastActivityAt: T0 + 50, lastMessage: { id: 'late', text: 'bump', seq: 1 } });
    expect(first.next).toEqual({ lastActivityAt: T0 + 5, id: 'c-5' });
    const second = await store.listConversations({ widgetId: 'shop', status: null, cursor: first.next, limit: 2 });
    expect(second.conversations.map((c) => c.id)).toEqual(['c-4', 'c-3']);
    const third = await store.listConversations({ widgetId: 'shop', status: null, cursor: second.next, limit: 2 });
    expect(third.conversations.map((c) => c.id)).toEqual(['c-1']);
    expect(third.next).toBeNull();

    const closed = await store.listConversations({ widgetId: 'shop', status: 'closed', cursor: null, limit: 10 });
    expect(closed.conversations.map((c) => c.id)).toEqual(['c-4']);
    const open = await store.listConversations({ widgetId: 'shop', status: 'open', cursor: null, limit: 10 });
    expect(open.conversations.map((c) => c.id)).toEqual(['c-2', 'c-5', 'c-3', 'c-1']);
  });

  it('closes and reopens, says whether the status moved, and a visitor message reopens a closed conversation', async () => {
    await store.startConversation(start());
    const closed = await store.setConversationStatus({ conversationId: 'conv-1', widgetId: 'shop', status: 'closed', now: T0 + 1 });
    expect(closed).toMatchObject({ changed: true, conversation: { status: 'closed' } });
    expect(await store.setConversationStatus({ conversationId: 'conv-1', widgetId: 'shop', status: 'closed', now: T0 + 2 })).toMatchObject({ changed: false });
    expect(await store.setConversationStatus({ conversationId: 'conv-1', widgetId: 'other', status: 'open', now: T0 + 2 })).toBeNull();
    const agent = await store.postMessage(message({ id: 'a1', author: 'agent', text: 'closing note' }));
    expect(agent).toMatchObject({ outcome: 'created', reopened: false });
    expect((await store.getConversation('conv-1'))?.status).toBe('closed');
    const visitor = await store.postMessage(message({ id: 'v1' }));
    expect(visitor).toMatchObject({ outcome: 'created', reopened: true });
    expect((await store.getConversation('conv-1'))?.status).toBe('open');
  });

  it('records the first visitor message and the first reply after it', async () => {
    await store.startConversation(start());
    await store.postMessage(message({ id: 'a0', author: 'bot', text: 'Welcome', now: T0 + 1 }));
    await store.postMessage(message({ id: 'v1', now: T0 + 10 }));
    await store.postMessage(message({ id: 'v2', text: 'hello?', now: T0 + 20 }));
    await store.postMessage(message({ id: 'a1', author: 'agent', text: 'Hi', now: T0 + 30 }));
    await store.postMessage(message({ id: 'a2', author: 'agent', text: 'How can I help?', now: T0 + 40 }));
    const [row] = await rawSql(url, `SELECT first_visitor_at, first_reply_at, last_activity_at FROM conversations WHERE id = 'conv-1'`);
    expect([Number(row?.first_visitor_at), Number(row?.first_reply_at), Number(row?.last_activity_at)]).toEqual([T0 + 10, T0 + 30, T0 + 40]);
  });

  it('queues a webhook delivery with each new visitor message when the widget has a webhook, in the same transaction', async () => {
    await store.putWidget({ widgetId: 'shop', owner: 'acme', document: { name: 'Shop', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }, expectedRevision: null, now: T0 });
    await store.startConversation(start());
    await store.postMessage(message({ id: 'before-hook' }));
    await rawSql(url, `UPDATE widgets SET webhook_url = 'https://bot.example/hook' WHERE id = 'shop'`);
    await store.postMessage(message({ id: 'v1', text: 'one' }));
    await store.postMessage(message({ id: 'v1', text: 'one' }));
    await store.postMessage(message({ id: 'a1', author: 'agent', text: 'agent reply' }));
    await store.postMessage(message({ id: 'v2', text: 'two', now: T0 + 5000 }));
    const rows = await rawSql(url, 'SELECT message_id, widget_id, created_at, next_attempt_at, attempts, delivered_at FROM webhook_deliveries ORDER BY message_id');
    expect(rows.map((r) => [r.message_id, r.widget_id, Number(r.next_attempt_at), Number(r.attempts), r.delivered_at])).toEqual([
      ['v1', 'shop', T0 + 1000, 0, null],
      ['v2', 'shop', T0 + 5000, 0, null],
    ]);
  });

  it('stores every character of a message as sent', async () => {
    await store.startConversation(start());
    const text = 'héllo 👋 مرحبا "quoted" \\ back\nnew line \u{1F600}';
    await store.postMessage(message({ text }));
    expect((await store.readMessages({ conversationId: 'conv-1', after: 0, limit: 1 }))?.messages[0]?.text).toBe(text);
  });
});
