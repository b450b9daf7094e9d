// @vitest-environment node
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConversationClient } from '../../../lib/chat-widget/conversations/client';
import { CONVERSATION_SECRET_HEADER } from '../../../lib/protocol/conversations';
import { CONVERSATION_OUTBOX_KEY, CONVERSATION_SESSION_KEY } from '../../../lib/protocol/limits';
import { createFakeCollector } from './fake-collector';
import { fakeOnline, frameClient, memoryStorage } from './support';

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

const stored = (storage: ReturnType<typeof memoryStorage>, key: string): unknown => JSON.parse(storage.data.get(key) ?? 'null');

describe('the outbox', () => {
  test('the first message starts a conversation, keeps its secret in the host, and sends the secret in the header', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    const { client } = track(frameClient(collector, storage));
    await client.start();
    expect(client.send('Hello')).toBe('queued');
    // In the host before any request is answered.
    expect(stored(storage, CONVERSATION_OUTBOX_KEY)).toEqual([expect.objectContaining({ text: 'Hello', state: 'sending' })]);
    await vi.advanceTimersByTimeAsync(10);
    const session = stored(storage, CONVERSATION_SESSION_KEY) as { conversationId: string; secret: string };
    expect(session.secret).toBe('secret-1');
    expect(collector.conversations.get(session.conversationId)?.messages.map((m) => m.text)).toEqual(['Hello']);
    const post = collector.requests.find((request) => request.path.endsWith('/messages') && request.method === 'POST');
    expect(post?.headers[CONVERSATION_SECRET_HEADER.toLowerCase()]).toBe('secret-1');
    expect(storage.data.has(CONVERSATION_OUTBOX_KEY)).toBe(false);
    expect(client.outbox().messages).toEqual([]);
  });

  test('starts again with a new id when the first one is taken (409)', async () => {
    const collector = createFakeCollector();
    collector.fail(409);
    const { client } = track(frameClient(collector, memoryStorage()));
    await client.start();
    client.send('Hello');
    await vi.advanceTimersByTimeAsync(10);
    const starts = collector.requests.filter((request) => request.path === '/api/conversations');
    expect(starts).toHaveLength(2);
    expect((starts[0]?.body as { id: string }).id).not.toBe((starts[1]?.body as { id: string }).id);
    expect(client.conversationId).toBe((starts[1]?.body as { id: string }).id);
  });

  test('retries network errors and 5xx with backoff and the same id; fails after maxSendAttempts; retry() sends it', async () => {
    const collector = createFakeCollector();
    const { client } = track(frameClient(collector, memoryStorage(), { maxSendAttempts: 3 }));
    await client.start();
    client.send('First');
    await vi.advanceTimersByTimeAsync(10);
    collector.fail('network', 503, 'network');
    client.send('Second');
    await vi.advanceTimersByTimeAsync(999);
    expect(client.outbox().messages.map((m) => m.state)).toEqual(['sending']);
    // Tries at 0, 1 s and 3 s (waits of 1 s, then 2 s).
    await vi.advanceTimersByTimeAsync(2100);
    expect(client.outbox().messages.map((m) => m.state)).toEqual(['failed']);
    const posts = collector.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages')).slice(1);
    expect(new Set(posts.map((post) => (post.body as { id: string }).id)).size).toBe(1);
    expect(posts).toHaveLength(3);
    const [failed] = client.outbox().messages;
    client.retry(failed!.id);
    await vi.advanceTimersByTimeAsync(10);
    expect(client.outbox().messages).toEqual([]);
    expect([...collector.conversations.values()][0]?.messages.map((m) => m.text)).toEqual(['First', 'Second']);
  });

  test('a 4xx other than 404, 408 and 429 fails the message at once, and the next one still goes', async () => {
    const collector = createFakeCollector();
    const { client } = track(frameClient(collector, memoryStorage()));
    await client.start();
    client.send('First');
    await vi.advanceTimersByTimeAsync(10);
    collector.fail(400);
    client.send('Bad');
    client.send('Third');
    await vi.advanceTimersByTimeAsync(10);
    expect(client.outbox().messages.map((m) => [m.text, m.state])).toEqual([['Bad', 'failed']]);
    expect([...collector.conversations.values()][0]?.messages.map((m) => m.text)).toEqual(['First', 'Third']);
  });

  test('after a reload the outbox resends with the same ids, and the collector keeps each message once', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    const first = frameClient(collector, storage);
    await first.client.start();
    first.client.send('One');
    await vi.advanceTimersByTimeAsync(10);
    // The answer to the second is lost: the collector stored it, the page reloads before knowing.
    collector.fail('network');
    first.client.send('Two');
    await vi.advanceTimersByTimeAsync(10);
    first.client.destroy();
    const pending = stored(storage, CONVERSATION_OUTBOX_KEY) as { id: string; text: string }[];
    expect(pending.map((m) => m.text)).toEqual(['Two']);

    const second = track(frameClient(collector, storage));
    await second.client.start();
    await vi.advanceTimersByTimeAsync(10);
    const repost = collector.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages')).at(-1);
    expect((repost?.body as { id: string }).id).toBe(pending[0]?.id);
    expect([...collector.conversations.values()][0]?.messages.map((m) => m.text)).toEqual(['One', 'Two']);
    expect(storage.data.has(CONVERSATION_OUTBOX_KEY)).toBe(false);
  });

  test('waits while the browser is offline and sends on online', async () => {
    const collector = createFakeCollector();
    const online = fakeOnline(false);
    const { client } = track(frameClient(collector, memoryStorage(), { online }));
    await client.start();
    client.send('Later');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collector.requests).toEqual([]);
    expect(client.outbox().messages.map((m) => m.state)).toEqual(['sending']);
    online.set(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(client.outbox().messages).toEqual([]);
  });

  test('refuses a message that would take the outbox past its byte budget, and says so; nothing stored is lost', async () => {
    const collector = createFakeCollector();
    const online = fakeOnline(false);
    const storage = memoryStorage();
    const { client } = track(frameClient(collector, storage, { online }));
    await client.start();
    const long = 'x'.repeat(2000);
    const outcomes = Array.from({ length: 14 }, () => client.send(long));
    expect(outcomes.filter((o) => o === 'queued').length).toBeGreaterThan(9);
    expect(outcomes.at(-1)).toBe('full');
    expect(client.outbox().full).toBe(true);
    const kept = client.outbox().messages.length;
    expect((stored(storage, CONVERSATION_OUTBOX_KEY) as unknown[]).length).toBe(kept);
    online.set(true);
    await vi.advanceTimersByTimeAsync(10);
    expect([...collector.conversations.values()][0]?.messages).toHaveLength(kept);
    expect(client.send('fits again')).toBe('queued');
    expect(client.outbox().full).toBe(false);
  });

  test('a 404 (the collector forgot the conversation) starts a new one and sends the message there', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    const { client } = track(frameClient(collector, storage));
    await client.start();
    client.send('One');
    await vi.advanceTimersByTimeAsync(10);
    const firstId = client.conversationId;
    collector.conversations.clear();
    client.send('Two');
    await vi.advanceTimersByTimeAsync(10);
    expect(client.conversationId).not.toBe(firstId);
    expect(collector.conversations.get(client.conversationId!)?.messages.map((m) => m.text)).toEqual(['Two']);
  });
});

describe('a host slow at load', () => {
  test('the stored outbox is read again until the host answers, merged with what was typed, and sent', async () => {
    const collector = createFakeCollector();
    const storage = memoryStorage();
    storage.data.set(CONVERSATION_OUTBOX_KEY, JSON.stringify([{ id: '0190a000-0000-7000-8000-000000000001', text: 'From the last page', at: 1, state: 'sending' }]));
    let hostAnswers = false;
    const slow = {
      ...storage,
      read: async (key: string) => (hostAnswers ? { value: storage.data.get(key) ?? null, source: 'host' as const } : { value: null, source: 'fallback' as const }),
      setFallbackItem: () => undefined,
    };
    const { client } = track(frameClient(collector, slow));
    await client.start();
    client.send('Typed meanwhile');
    await vi.advanceTimersByTimeAsync(10);
    // Nothing written over what the host holds.
    expect(storage.data.get(CONVERSATION_OUTBOX_KEY)).toContain('From the last page');
    hostAnswers = true;
    await vi.advanceTimersByTimeAsync(1100);
    await vi.advanceTimersByTimeAsync(10);
    const all = [...collector.conversations.values()].flatMap((conversation) => conversation.messages.map((m) => m.text));
    expect(all.sort()).toEqual(['From the last page', 'Typed meanwhile']);
    expect(client.outbox().messages).toEqual([]);
  });
});

describe('before the visitor id is known', () => {
  test('messages wait without using up their tries, and go once it is known', async () => {
    const collector = createFakeCollector();
    let visitor: string | null = null;
    const { client } = track(frameClient(collector, memoryStorage(), { anonymousId: () => visitor, maxSendAttempts: 2 }));
    await client.start();
    client.send('Early');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(client.outbox().messages.map((m) => m.state)).toEqual(['sending']);
    expect(collector.requests).toEqual([]);
    visitor = 'visitor-9';
    await vi.advanceTimersByTimeAsync(1100);
    expect(client.outbox().messages).toEqual([]);
    expect((collector.requests[0]?.body as { anonymousId: string }).anonymousId).toBe('visitor-9');
  });
});
