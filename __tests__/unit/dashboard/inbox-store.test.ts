import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConversationsClient } from '../../../components/dashboard/api/conversations-client';
import { DashboardError, DashboardErrorCode } from '../../../components/dashboard/api/dashboard-error';
import { createInboxStore } from '../../../components/dashboard/inbox/inbox-store';
import type { InboxStore } from '../../../components/dashboard/inbox/inbox-store';
import type { StatusChange, StreamState } from '../../../components/dashboard/inbox/inbox-stream';
import type { ConversationMessage, ConversationSummary, MessagePage } from '../../../lib/protocol/conversations';

const message = (conversationId: string, seq: number, author: ConversationMessage['author'] = 'visitor', text = `m${seq}`): ConversationMessage => ({
  id: `${conversationId}-m${seq}`,
  conversationId,
  author,
  text,
  createdAt: 1_000_000 + seq * 1000,
  seq,
});

const summary = (id: string, lastActivityAt: number, lastSeq: number, unreadByAgent = 0): ConversationSummary => ({
  id,
  widgetId: 'shop',
  anonymousId: `anon-${id}`,
  userId: null,
  status: 'open',
  createdAt: 0,
  lastActivityAt,
  lastSeq,
  lastMessage: lastSeq === 0 ? null : { ...message(id, lastSeq), createdAt: lastActivityAt },
  unreadByAgent,
});

interface Harness {
  store: InboxStore;
  client: { [K in keyof ConversationsClient]: ReturnType<typeof vi.fn<ConversationsClient[K]>> };
  stream: { onMessage: (m: ConversationMessage) => void; onStatus: (c: StatusChange) => void; onState: (s: StreamState) => void };
  streamsOpened: () => number;
  ids: () => string[];
}

function harness(list: ConversationSummary[], threads: Record<string, ConversationMessage[]> = {}): Harness {
  const pageOf = (conversationId: string, after: number): MessagePage => {
    const messages = (threads[conversationId] ?? []).filter((m) => m.seq > after);
    return { messages, next: messages.at(-1)?.seq ?? after, more: false, status: 'open' };
  };
  const client = {
    list: vi.fn<ConversationsClient['list']>(() => Promise.resolve({ conversations: list.map((c) => ({ ...c })), next: null })),
    messages: vi.fn<ConversationsClient['messages']>((id, after) => Promise.resolve(pageOf(id, after))),
    reply: vi.fn<ConversationsClient['reply']>(),
    markRead: vi.fn<ConversationsClient['markRead']>(() => Promise.resolve()),
    close: vi.fn<ConversationsClient['close']>(),
    reopen: vi.fn<ConversationsClient['reopen']>(),
  };
  let handlers: Harness['stream'] | null = null;
  let opened = 0;
  let n = 0;
  const made: string[] = [];
  const store = createInboxStore({
    client,
    openStream: (given) => {
      handlers = given;
      opened += 1;
      return { destroy: vi.fn() };
    },
    newId: () => {
      n += 1;
      made.push(`reply-${n}`);
      return `reply-${n}`;
    },
  });
  store.start();
  return {
    store,
    client,
    get stream() {
      if (handlers === null) throw new Error('no stream opened');
      return handlers;
    },
    streamsOpened: () => opened,
    ids: () => made,
  };
}

const order = (store: InboxStore) => store.getState().conversations.map((c) => `${c.id}:${c.unreadByAgent}`);
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the inbox store', () => {
  test('lists conversations by latest activity; a stream message moves its conversation to the top with one more unread', async () => {
    const h = harness([summary('older', 1000, 2, 1), summary('newer', 5000, 3)]);
    await settle();
    expect(order(h.store)).toEqual(['newer:0', 'older:1']);
    h.stream.onState('open');
    await settle();

    h.stream.onMessage({ ...message('older', 3), createdAt: 9000 });
    // Synchronously: no request stands between the event and the list.
    expect(order(h.store)).toEqual(['older:2', 'newer:0']);
    expect(h.store.getState().conversations[0]?.lastMessage?.text).toBe('m3');

    // The same message again (a reconnect, or the reply's own echo) changes nothing.
    h.stream.onMessage({ ...message('older', 3), createdAt: 9000 });
    expect(order(h.store)).toEqual(['older:2', 'newer:0']);
    // A team message moves the conversation but is not unread.
    h.stream.onMessage({ ...message('newer', 4, 'agent'), createdAt: 10_000 });
    expect(order(h.store)).toEqual(['newer:0', 'older:2']);
    h.store.destroy();
  });

  test('a message of a conversation not in the list reloads the list; a status change updates it', async () => {
    const list = [summary('a', 1000, 1)];
    const h = harness(list);
    await settle();
    h.stream.onState('open');
    await settle();
    const loads = h.client.list.mock.calls.length;
    list.push(summary('b', 7000, 1, 1));
    h.stream.onMessage(message('b', 1));
    await settle();
    expect(h.client.list.mock.calls.length).toBe(loads + 1);
    expect(order(h.store)).toEqual(['b:1', 'a:0']);

    // The filter shows open ones: a closed conversation leaves the list.
    h.stream.onStatus({ conversationId: 'a', status: 'closed' });
    expect(order(h.store)).toEqual(['b:1']);
    h.store.setFilter('all');
    await settle();
    h.stream.onStatus({ conversationId: 'b', status: 'closed' });
    expect(h.store.getState().conversations.find((c) => c.id === 'b')?.status).toBe('closed');
    h.store.destroy();
  });

  test('a thread shown is marked read up to its last message, and again for each visitor message that arrives in it', async () => {
    const h = harness([summary('a', 1000, 2, 2)], { a: [message('a', 1), message('a', 2)] });
    await settle();
    h.store.select('a');
    await settle();
    expect(h.store.getState().thread?.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(h.client.markRead.mock.calls.map(([id, seq]) => [id, seq])).toEqual([['a', 2]]);
    expect(order(h.store)).toEqual(['a:0']);

    h.stream.onMessage(message('a', 3));
    expect(h.store.getState().thread?.messages.map((m) => m.author + m.seq)).toEqual(['visitor1', 'visitor2', 'visitor3']);
    expect(order(h.store)).toEqual(['a:0']);
    expect(h.client.markRead.mock.calls.map(([, seq]) => seq)).toEqual([2, 3]);

    // A message after a gap loads what was missed instead of leaving a hole.
    const calls = h.client.messages.mock.calls.length;
    h.stream.onMessage(message('a', 5));
    expect(h.client.messages.mock.calls.length).toBe(calls + 1);
    expect(h.client.messages.mock.calls.at(-1)?.[1]).toBe(3);
    h.store.destroy();
  });

  test('a reply shows as sending, then failed on a timeout; Retry posts the same id, and the stored reply shows once', async () => {
    const h = harness([summary('a', 1000, 1)], { a: [message('a', 1)] });
    await settle();
    h.store.select('a');
    await settle();

    let fail: (error: unknown) => void = () => undefined;
    h.client.reply.mockImplementationOnce(() => new Promise((_resolve, reject) => (fail = reject)));
    h.store.send('Hello, how can I help?');
    expect(h.store.getState().replies).toMatchObject([{ id: 'reply-1', state: 'sending', text: 'Hello, how can I help?' }]);
    fail(new DashboardError(DashboardErrorCode.TIMEOUT, 'no answer within 15000 ms'));
    await settle();
    expect(h.store.getState().replies).toMatchObject([{ id: 'reply-1', state: 'failed' }]);
    expect(h.store.getState().replies[0]?.error).toContain('took too long');

    // The first post did arrive (the answer was lost): the collector answers 200 with the stored message.
    const stored = { ...message('a', 2, 'agent', 'Hello, how can I help?'), id: 'reply-1' };
    h.client.reply.mockResolvedValueOnce(stored);
    h.store.retry('reply-1');
    expect(h.store.getState().replies[0]?.state).toBe('sending');
    await settle();
    expect(h.client.reply.mock.calls.map(([id, body]) => [id, body.id, body.text])).toEqual([
      ['a', 'reply-1', 'Hello, how can I help?'],
      ['a', 'reply-1', 'Hello, how can I help?'],
    ]);
    expect(h.ids()).toEqual(['reply-1']);
    expect(h.store.getState().replies).toEqual([]);
    // The stream echoes the reply too: it is in the thread once.
    h.stream.onMessage(stored);
    expect(h.store.getState().thread?.messages.filter((m) => m.id === 'reply-1')).toHaveLength(1);
    expect(h.store.getState().conversations[0]?.lastMessage?.id).toBe('reply-1');
    h.store.destroy();
  });

  test('while the stream cannot open the list is polled; once it opens polling stops and the inbox catches up once', async () => {
    const h = harness([summary('a', 1000, 1)]);
    await settle();
    expect(h.client.list).toHaveBeenCalledTimes(1);
    h.stream.onState('down');
    expect(h.store.getState().live).toBe('polling');
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.client.list).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.client.list).toHaveBeenCalledTimes(3);

    h.stream.onState('connecting');
    h.stream.onState('open');
    expect(h.store.getState().live).toBe('live');
    await settle();
    expect(h.client.list).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.client.list).toHaveBeenCalledTimes(4);
    h.store.destroy();
  });

  test('destroy stops polling and the stream, and nothing changes after it', async () => {
    const h = harness([summary('a', 1000, 1)]);
    await settle();
    h.stream.onState('down');
    const before = h.store.getState();
    h.store.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    h.stream.onMessage(message('a', 2));
    expect(h.store.getState()).toBe(before);
    expect(h.client.list).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.streamsOpened()).toBe(1);
  });
});
