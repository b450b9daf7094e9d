// @vitest-environment node
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConversationClient } from '../../../lib/chat-widget/conversations/client';
import { CONVERSATION_SESSION_KEY } from '../../../lib/protocol/limits';
import { createFakeCollector } from './fake-collector';
import { fakeBrowser, frameClient, memoryStorage } from './support';

const clients: ConversationClient[] = [];
const track = <T extends { client: ConversationClient }>(made: T): T => {
  clients.push(made.client);
  return made;
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  vi.useRealTimers();
});

const streamRequests = (collector: ReturnType<typeof createFakeCollector>) => collector.requests.filter((request) => request.path.endsWith('/events'));
const pollRequests = (collector: ReturnType<typeof createFakeCollector>) => collector.requests.filter((request) => request.method === 'GET' && request.path.includes('/messages?'));

/** A frame that leads alone (Web Locks and a channel of its own) and has started a conversation. */
async function streaming(collector = createFakeCollector(), storage = memoryStorage()) {
  const browser = fakeBrowser();
  const made = track(frameClient(collector, storage, { sharing: browser.sharing() }));
  await made.client.start();
  made.client.send('Hello');
  await vi.advanceTimersByTimeAsync(10);
  return { ...made, collector, storage, id: made.client.conversationId as string };
}

describe('replies', () => {
  test('come live over the stream, with the visitor message, each once and in order', async () => {
    const { collector, received, id, client } = await streaming();
    collector.reply(id, 'Hi there');
    collector.reply(id, 'How can I help?', 'bot');
    await vi.advanceTimersByTimeAsync(10);
    expect(client.receiving).toBe('stream');
    expect(received.map((m) => [m.author, m.text, m.seq])).toEqual([
      ['visitor', 'Hello', 1], // the POST's answer
      ['agent', 'Hi there', 2],
      ['bot', 'How can I help?', 3],
    ]);
    expect(client.cursor).toBe(3);
  });

  test('a stream that ends is reopened with Last-Event-ID at the cursor, after a backoff', async () => {
    const { collector, id, client } = await streaming();
    collector.reply(id, 'One');
    await vi.advanceTimersByTimeAsync(10);
    collector.closeStreams();
    collector.reply(id, 'Two (while closed)');
    await vi.advanceTimersByTimeAsync(1100);
    const [, reopened] = streamRequests(collector);
    expect(reopened?.headers['last-event-id']).toBe('2');
    expect(client.cursor).toBe(3);
  });

  test('a stream that sends nothing, no heartbeat either, for 2 × STREAM_HEARTBEAT_SECONDS is reopened; heartbeats keep it', async () => {
    const { collector } = await streaming();
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      collector.ping();
    }
    expect(streamRequests(collector)).toHaveLength(1);
    collector.state.silent = true;
    await vi.advanceTimersByTimeAsync(30_000);
    await vi.advanceTimersByTimeAsync(1100);
    expect(streamRequests(collector)).toHaveLength(2);
  });

  test('falls back to the long poll after two network failures in a row, and replies still arrive', async () => {
    const collector = createFakeCollector();
    collector.state.events = 'network';
    const { client, id, received } = await streaming(collector);
    await vi.advanceTimersByTimeAsync(1100);
    expect(streamRequests(collector)).toHaveLength(2);
    expect(client.receiving).toBe('poll');
    expect(pollRequests(collector).at(-1)?.path).toContain('wait=25');
    collector.reply(id, 'By poll');
    await vi.advanceTimersByTimeAsync(10);
    expect(received.map((m) => m.text)).toEqual(['Hello', 'By poll']);
  });

  test('falls back to the long poll when the answer is not an event stream', async () => {
    const collector = createFakeCollector();
    collector.state.events = 'not-stream';
    const { client } = await streaming(collector);
    await vi.advanceTimersByTimeAsync(10);
    expect(client.receiving).toBe('poll');
    expect(streamRequests(collector)).toHaveLength(1);
  });

  test('after a reload, resumes the stream from the stored cursor and reads the thread once: every message once, no gap, no duplicate', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    const first = await streaming(collector, storage);
    collector.reply(first.id, 'Before reload');
    await vi.advanceTimersByTimeAsync(10);
    first.client.destroy();
    expect((JSON.parse(storage.data.get(CONVERSATION_SESSION_KEY) ?? '{}') as { cursor: number }).cursor).toBe(2);
    collector.reply(first.id, 'While away 1');
    collector.reply(first.id, 'While away 2');

    const second = track(frameClient(collector, storage, { sharing: fakeBrowser().sharing() }));
    await second.client.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(streamRequests(collector).at(-1)?.headers['last-event-id']).toBe('2');
    // The thread read brings what this frame may not show (the cursor is the last leader's).
    expect(second.received.map((m) => m.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });

  test('without Web Locks, each frame long-polls from its cursor', async () => {
    const collector = createFakeCollector();
    const { client, received } = track(frameClient(collector, memoryStorage()));
    await client.start();
    client.send('Hello');
    await vi.advanceTimersByTimeAsync(10);
    collector.reply(client.conversationId!, 'Polled');
    await vi.advanceTimersByTimeAsync(10);
    expect(client.receiving).toBe('poll');
    expect(streamRequests(collector)).toEqual([]);
    expect(received.map((m) => m.text)).toEqual(['Hello', 'Polled']);
  });

  test('a 404 on the stream forgets the conversation: the next message starts a new one', async () => {
    const { collector, client, storage } = await streaming();
    collector.conversations.clear();
    collector.closeStreams();
    await vi.advanceTimersByTimeAsync(1100);
    expect(client.conversationId).toBeNull();
    expect(storage.data.has(CONVERSATION_SESSION_KEY)).toBe(false);
  });
});

describe('one stream per widget and browser (fake Web Locks and BroadcastChannel)', () => {
  test('one frame holds the stream and shares it; when it goes, the next takes over from the shared cursor', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    const browser = fakeBrowser();
    const a = track(frameClient(collector, storage, { sharing: browser.sharing() }));
    const b = track(frameClient(collector, storage, { sharing: browser.sharing() }));
    await a.client.start();
    await b.client.start();
    a.client.send('From tab A');
    await vi.advanceTimersByTimeAsync(10);
    const id = a.client.conversationId as string;
    expect(b.client.conversationId).toBe(id); // shared over the channel
    expect(collector.openStreams()).toBe(1);
    expect(b.client.receiving).toBe('follower');

    collector.reply(id, 'Reply 1');
    await vi.advanceTimersByTimeAsync(10);
    // A's own message reaches B's thread too, through A's stream.
    expect(b.received.map((m) => m.text)).toEqual(['From tab A', 'Reply 1']);
    expect(b.client.cursor).toBe(2);
    a.client.destroy();
    collector.reply(id, 'Reply 2');
    await vi.advanceTimersByTimeAsync(10);
    expect(b.client.receiving).toBe('stream');
    expect(collector.openStreams()).toBe(1);
    expect(streamRequests(collector).at(-1)?.headers['last-event-id']).toBe('2');
    expect(b.received.map((m) => m.text)).toEqual(['From tab A', 'Reply 1', 'Reply 2']);
  });
});

describe('destroy()', () => {
  test('leaves no timer, stream, lock or listener behind, and keeps the outbox for the next page', async () => {
    const collector = createFakeCollector();
    collector.state.silent = true;
    const storage = memoryStorage();
    const browser = fakeBrowser();
    const leader = frameClient(collector, storage, { sharing: browser.sharing() });
    await leader.client.start();
    leader.client.send('Hello');
    await vi.advanceTimersByTimeAsync(10);
    collector.fail('network');
    leader.client.send('Pending');
    await vi.advanceTimersByTimeAsync(10);
    expect(collector.openStreams()).toBe(1);
    leader.client.destroy();
    await vi.advanceTimersByTimeAsync(10);
    expect(collector.openStreams()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(storage.data.get('conversation_outbox')).toContain('Pending');
    // The lock is free: a frame that comes now leads at once.
    const next = track(frameClient(collector, storage, { sharing: browser.sharing() }));
    await next.client.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(next.client.receiving).toBe('stream');
  });
});
