import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyGrant, CollectorOptions } from '../../server';
import { CONVERSATION_LIMITS, CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import type { ConversationMessage, ConversationSummary, MessagePage, StartedConversation } from '../../lib/protocol/conversations';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { send } from './support/http';
import type { HttpAnswer, SendOptions } from './support/http';
import { openSse } from './support/sse';
import type { SseClient } from './support/sse';
import { listenApp, widgetDocument } from './support/widget-app';
import type { ListeningApp } from './support/widget-app';

const ACME_KEY = 'acme-all-key-0123456789';
const GLOBEX_KEY = 'globex-all-key-0123456789';
const KEYS: ApiKeyGrant[] = [
  { key: ACME_KEY, owner: 'acme', widgets: '*' },
  { key: GLOBEX_KEY, owner: 'globex', widgets: '*' },
];
const WIDGET_APP = 'https://widget.example';

describe.each(ENGINES)('the conversation API on $name', ({ create }) => {
  let fixture: EngineFixture;
  let app: ListeningApp;
  const streams: SseClient[] = [];

  const start = async (id: string, widgetId = 'shop'): Promise<StartedConversation> => {
    const answer = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id, widgetId, anonymousId: `anon-${id}` } });
    expect(answer.status).toBe(201);
    return answer.json as StartedConversation;
  };
  const visitor = (path: string, secret: string | null, options: SendOptions = {}): Promise<HttpAnswer> =>
    send(`${app.url}/api/conversations/${path}`, { ...options, headers: { ...(secret === null ? {} : { [CONVERSATION_SECRET_HEADER]: secret }), ...options.headers } });
  const say = (conversationId: string, secret: string, id: string, text: string) =>
    visitor(`${conversationId}/messages`, secret, { method: 'POST', body: { id, text } });
  const agent = (path: string, options: SendOptions = {}, key = ACME_KEY): Promise<HttpAnswer> =>
    send(`${app.url}/api/widgets/${path}`, { ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } });
  const stream = async (url: string, headers: Record<string, string>): Promise<SseClient> => {
    const client = await openSse(url, headers);
    streams.push(client);
    return client;
  };
  const messagesOf = (client: SseClient): ConversationMessage[] =>
    client.events.filter((e) => e.event === 'message').map((e) => e.data as ConversationMessage);

  const restart = async (options: CollectorOptions = {}): Promise<void> => {
    await app.close();
    app = await listenApp(fixture, { apiKeys: KEYS, ...options });
  };

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    app = await listenApp(fixture, { apiKeys: KEYS });
  });
  afterEach(async () => {
    for (const client of streams.splice(0)) client.close();
    await app.close();
  });

  describe('the visitor API', () => {
    it('starts a conversation with a secret shown once, and answers 409 for an id already taken', async () => {
      const started = await start('c1');
      expect(started.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.secret).toHaveLength(CONVERSATION_LIMITS.secretLength);
      expect(started.conversation).toMatchObject({ id: 'c1', widgetId: 'shop', anonymousId: 'anon-c1', userId: null, status: 'open', lastSeq: 0, lastMessage: null, unreadByAgent: 0 });
      const again = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c1', widgetId: 'shop', anonymousId: 'someone' } });
      expect(again.status).toBe(409);
      expect(again.json).toEqual({ error: 'conversation_exists' });
      expect((await say('c1', started.secret, 'm1', 'still mine')).status).toBe(201);
    });

    it('stores a message sent 5 times at once under one id exactly once: one 201, four 200 with the same message', async () => {
      const { secret } = await start('c1');
      const answers = await Promise.all(Array.from({ length: 5 }, () => say('c1', secret, 'm1', 'Hello there')));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
      const bodies = answers.map((a) => a.json as ConversationMessage);
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(bodies[0]).toMatchObject({ id: 'm1', conversationId: 'c1', author: 'visitor', text: 'Hello there', seq: 1 });
      const page = (await visitor('c1/messages', secret)).json as MessagePage;
      expect(page.messages).toHaveLength(1);
      expect(page).toMatchObject({ next: 1, more: false, status: 'open' });
    });

    it('answers 409 for a message id already used for another text, and keeps the first', async () => {
      const { secret } = await start('c1');
      await say('c1', secret, 'm1', 'first');
      const conflict = await say('c1', secret, 'm1', 'second');
      expect(conflict.status).toBe(409);
      expect(conflict.json).toEqual({ error: 'message_conflict' });
      expect(((await visitor('c1/messages', secret)).json as MessagePage).messages.map((m) => m.text)).toEqual(['first']);
    });

    it('answers 404 not found on every route for a missing, wrong or another visitor’s secret, and for an unknown conversation', async () => {
      const mine = await start('c1');
      const theirs = await start('c2');
      await say('c1', mine.secret, 'm1', 'private');
      for (const secret of [null, theirs.secret, 'x'.repeat(43), '']) {
        const answers = [
          await say('c1', secret as string, 'm2', 'intrusion'),
          await visitor('c1/messages', secret),
          await visitor('c1/events', secret),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(404);
          expect(answer.json).toEqual({ error: 'not found' });
        }
      }
      expect((await visitor('nope/messages', mine.secret)).status).toBe(404);
      expect((await visitor('bad%20id/messages', mine.secret)).status).toBe(404);
      expect(((await visitor('c1/messages', mine.secret)).json as MessagePage).messages.map((m) => m.id)).toEqual(['m1']);
    });

    it('refuses bad bodies with 400 naming the problem and huge ones with 413, storing nothing', async () => {
      const { secret } = await start('c1');
      const cases: [unknown, string][] = [
        [{ id: 'm1', text: '   ' }, 'bad body: text: must not be empty'],
        [{ id: 'm1', text: 'x'.repeat(CONVERSATION_LIMITS.messageText + 1) }, `bad body: text: must be at most ${CONVERSATION_LIMITS.messageText} characters`],
        [{ id: 'm1', text: 'nul \u0000' }, 'bad body: text: must not contain NUL or unpaired surrogates'],
        [{ id: '-bad', text: 'hi' }, 'bad body: id: must be 1-64 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit'],
        [{ id: 'm1', text: 'hi', extra: 1 }, 'bad body: body: '],
        ['not json', 'body is not valid JSON'],
      ];
      for (const [body, error] of cases) {
        const answer = await say('c1', secret, 'ignored', 'ignored').then(() =>
          visitor('c1/messages', secret, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }),
        );
        expect(answer.status).toBe(400);
        expect((answer.json as { error: string }).error.startsWith(error)).toBe(true);
      }
      const huge = await visitor('c1/messages', secret, { method: 'POST', body: { id: 'm1', text: 'x'.repeat(20_000) } });
      expect(huge.status).toBe(413);
      const badStart = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c9', widgetId: 'bad.id', anonymousId: 'a' } });
      expect(badStart.status).toBe(400);
      expect(((await visitor('c1/messages', secret)).json as MessagePage).messages.map((m) => m.id)).toEqual(['ignored']);
      expect((await visitor('c1/messages?wait=26', secret)).status).toBe(400);
      expect((await visitor('c1/messages?after=-1', secret)).status).toBe(400);
    });

    it('refuses an unregistered widget with 403 widget_not_registered when registration is required', async () => {
      await restart({ requireRegistration: true });
      const refused = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c1', widgetId: 'shop', anonymousId: 'a' } });
      expect(refused.status).toBe(403);
      expect(refused.json).toEqual({ error: 'widget_not_registered' });
      expect((await agent('shop', { method: 'PUT', body: widgetDocument() })).status).toBe(201);
      expect((await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c1', widgetId: 'shop', anonymousId: 'a' } })).status).toBe(201);
    });

    it('answers 429 with Retry-After once a visitor’s bucket is empty', async () => {
      await restart({ conversations: { rateLimitBurst: 3, rateLimitPerSecond: 0.5 } });
      const { secret } = await start('c1');
      expect((await say('c1', secret, 'm1', 'one')).status).toBe(201);
      expect((await say('c1', secret, 'm2', 'two')).status).toBe(201);
      const refused = await say('c1', secret, 'm3', 'three');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('2');
    });

    it('answers CORS for the widget app’s origins only, allowing the secret and Last-Event-ID headers', async () => {
      await restart({ widgetOrigins: [WIDGET_APP] });
      const preflight = await send(`${app.url}/api/conversations/c1/events`, {
        method: 'OPTIONS',
        headers: { origin: WIDGET_APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-framewire-conversation-secret, last-event-id' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(WIDGET_APP);
      expect(preflight.headers['access-control-allow-headers']).toBe(`Content-Type, ${CONVERSATION_SECRET_HEADER}, Last-Event-ID`);
      expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
      const started = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c1', widgetId: 'shop', anonymousId: 'a' }, headers: { origin: WIDGET_APP } });
      expect(started.status).toBe(201);
      expect(started.headers['access-control-allow-origin']).toBe(WIDGET_APP);
      expect(started.headers['access-control-expose-headers']).toBe('Retry-After');
      const foreign = await send(`${app.url}/api/conversations`, { method: 'POST', body: { id: 'c2', widgetId: 'shop', anonymousId: 'a' }, headers: { origin: 'https://evil.example' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect((await send(`${app.url}/api/conversations`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    });
  });

  describe('the long poll', () => {
    it('answers at once when messages are after the cursor', async () => {
      const { secret } = await start('c1');
      await say('c1', secret, 'm1', 'one');
      const page = await visitor('c1/messages?after=0&wait=25', secret);
      expect((page.json as MessagePage).messages.map((m) => m.id)).toEqual(['m1']);
    });

    it('returns as soon as a reply arrives', async () => {
      const { secret } = await start('c1');
      await say('c1', secret, 'm1', 'one');
      const waiting = visitor('c1/messages?after=1&wait=20', secret);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const began = Date.now();
      expect((await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'a1', text: 'Hi, how can I help?' } })).status).toBe(201);
      const page = (await waiting).json as MessagePage;
      expect(Date.now() - began).toBeLessThan(5000);
      expect(page.messages.map((m) => [m.id, m.author, m.seq])).toEqual([['a1', 'agent', 2]]);
      expect(page.next).toBe(2);
    });

    it('answers an empty page after `wait` seconds when nothing arrives', async () => {
      const { secret } = await start('c1');
      const began = Date.now();
      const page = await visitor('c1/messages?after=0&wait=1', secret);
      expect(Date.now() - began).toBeGreaterThanOrEqual(900);
      expect(page.json).toEqual({ messages: [], next: 0, more: false, status: 'open' });
    });
  });

  describe('the stream', () => {
    it('is an event stream that is never cached or buffered, replays the history, then goes live', async () => {
      const { secret } = await start('c1');
      await say('c1', secret, 'm1', 'one');
      const client = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret });
      expect(client.status).toBe(200);
      expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(client.headers['cache-control']).toBe('no-store');
      expect(client.headers['x-accel-buffering']).toBe('no');
      await client.until((c) => c.events.length >= 1);
      await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'a1', text: 'reply' } });
      await client.until((c) => c.events.length >= 2);
      expect(client.events.map((e) => [e.event, e.id])).toEqual([
        ['message', '1'],
        ['message', '2'],
      ]);
      expect(messagesOf(client).map((m) => m.author)).toEqual(['visitor', 'agent']);
    });

    it('resumes after a dropped connection with Last-Event-ID: what was posted meanwhile, then live, no gap, no duplicate', async () => {
      const { secret } = await start('c1');
      const url = `${app.url}/api/conversations/c1/events`;
      const first = await stream(url, { [CONVERSATION_SECRET_HEADER]: secret });
      for (const i of [1, 2]) await say('c1', secret, `m${i}`, `text ${i}`);
      await first.until((c) => c.events.length >= 2);
      const lastId = first.events[first.events.length - 1]?.id ?? '';
      first.close();
      for (const i of [3, 4, 5]) await say('c1', secret, `m${i}`, `text ${i}`);
      await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'a6', text: 'while away' } });
      const second = await stream(url, { [CONVERSATION_SECRET_HEADER]: secret, 'last-event-id': lastId });
      await second.until((c) => c.events.length >= 4);
      await say('c1', secret, 'm7', 'live again');
      await second.until((c) => c.events.length >= 5);
      expect(messagesOf(second).map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
      expect([...messagesOf(first), ...messagesOf(second)].map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'a6', 'm7']);
      const fromQuery = await stream(`${url}?after=5`, { [CONVERSATION_SECRET_HEADER]: secret });
      await fromQuery.until((c) => c.events.length >= 2);
      expect(messagesOf(fromQuery).map((m) => m.seq)).toEqual([6, 7]);
    });

    it('sends every message exactly once in seq order while many are posted during the replay', async () => {
      const { secret } = await start('c1');
      for (let i = 1; i <= 30; i++) await say('c1', secret, `early-${i}`, `e${i}`);
      const url = `${app.url}/api/conversations/c1/events`;
      const [client] = await Promise.all([
        stream(url, { [CONVERSATION_SECRET_HEADER]: secret }),
        Promise.all(Array.from({ length: 30 }, (_, i) => agent('shop/conversations/c1/messages', { method: 'POST', body: { id: `late-${i}`, text: `l${i}` } }))),
      ]);
      await client.until((c) => c.events.length >= 60);
      expect(messagesOf(client).map((m) => m.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    });

    it('sends a heartbeat comment every heartbeat interval', async () => {
      await restart({ conversations: { heartbeatMs: 50 } });
      const { secret } = await start('c1');
      const client = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret });
      await client.until((c) => c.comments.filter((line) => line === 'ping').length >= 3);
      expect(client.events).toEqual([]);
    });

    it('tells the visitor when the team closes the conversation, and a visitor message reopens it', async () => {
      const { secret } = await start('c1');
      const client = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret });
      const closed = await agent('shop/conversations/c1/close', { method: 'POST' });
      expect(closed.status).toBe(200);
      expect(closed.json).toMatchObject({ id: 'c1', status: 'closed' });
      await client.until((c) => c.events.length >= 1);
      expect(client.events[0]).toEqual({ event: 'status', id: null, data: { status: 'closed' } });
      await say('c1', secret, 'm1', 'one more thing');
      await client.until((c) => c.events.length >= 3);
      expect(client.events.slice(1).map((e) => e.event)).toEqual(['status', 'message']);
      expect(client.events[1]?.data).toEqual({ status: 'open' });
      const later = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret });
      await agent('shop/conversations/c1/close', { method: 'POST' });
      await later.until((c) => c.events.some((e) => e.event === 'status'));
      const reconnected = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret, 'last-event-id': '1' });
      await reconnected.until((c) => c.events.length >= 1);
      expect(reconnected.events).toEqual([{ event: 'status', id: null, data: { status: 'closed' } }]);
    });

    it('ends open streams and waiting long polls when the app closes, without waiting for them', async () => {
      const { secret } = await start('c1');
      const client = await stream(`${app.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: secret });
      const poll = visitor('c1/messages?wait=25', secret);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const began = Date.now();
      await app.collector.app.close();
      await client.ended;
      expect((await poll).status).toBe(200);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(app.collector.streams.size).toBe(0);
    });
  });

  describe('the agent API', () => {
    it('answers 401 without a key and 404 for another owner’s widget or a conversation of another widget', async () => {
      await agent('shop', { method: 'PUT', body: widgetDocument() });
      await start('c1');
      await start('x1', 'other');
      const missing = await send(`${app.url}/api/widgets/shop/conversations`);
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="framewire"');
      expect((await agent('shop/conversations', {}, 'nobody-knows-this-key-000')).status).toBe(401);
      for (const path of ['shop/conversations', 'shop/conversations/c1/messages', 'shop/conversations/events']) {
        const refused = await agent(path, {}, GLOBEX_KEY);
        expect(refused.status).toBe(404);
        expect(refused.json).toEqual({ error: 'not found' });
      }
      expect((await agent('shop/conversations/x1/messages')).status).toBe(404);
      expect((await agent('shop/conversations/x1/close', { method: 'POST' })).status).toBe(404);
      expect((await agent('shop/conversations/x1/messages', { method: 'POST', body: { id: 'a1', text: 'hi' } })).status).toBe(404);
      expect((await agent('shop/conversations?limit=0')).status).toBe(400);
      expect((await agent('shop/conversations?status=maybe')).status).toBe(400);
      expect((await agent('shop/conversations?cursor=garbage')).status).toBe(400);
    });

    it('lists conversations by latest activity with unread counts, in pages, and marks them read', async () => {
      let tick = 0;
      await restart({ now: () => Date.UTC(2026, 0, 1) + ++tick * 1000 });
      const a = await start('c1');
      const b = await start('c2');
      await start('c3');
      await say('c1', a.secret, 'm1', 'hello');
      await say('c1', a.secret, 'm2', 'anyone?');
      await say('c2', b.secret, 'm1', 'question');
      const first = (await agent('shop/conversations?limit=2')).json as { conversations: ConversationSummary[]; next: string | null };
      expect(first.conversations.map((c) => [c.id, c.unreadByAgent, c.lastMessage?.text])).toEqual([
        ['c2', 1, 'question'],
        ['c1', 2, 'anyone?'],
      ]);
      expect(first.next).toEqual(expect.any(String));
      const second = (await agent(`shop/conversations?limit=2&cursor=${first.next}`)).json as { conversations: ConversationSummary[]; next: string | null };
      expect(second).toEqual({ conversations: [expect.objectContaining({ id: 'c3', unreadByAgent: 0, lastMessage: null })], next: null });
      const read = await agent('shop/conversations/c1/read', { method: 'POST', body: { seq: 1 } });
      expect(read.status).toBe(204);
      const after = (await agent('shop/conversations')).json as { conversations: ConversationSummary[] };
      expect(after.conversations.find((c) => c.id === 'c1')?.unreadByAgent).toBe(1);
      expect((await agent('shop/conversations/c1/read', { method: 'POST', body: { seq: 'all' } })).status).toBe(400);
      await agent('shop/conversations/c2/close', { method: 'POST' });
      const closed = (await agent('shop/conversations?status=closed')).json as { conversations: ConversationSummary[] };
      expect(closed.conversations.map((c) => c.id)).toEqual(['c2']);
      const reopened = await agent('shop/conversations/c2/reopen', { method: 'POST' });
      expect(reopened.json).toMatchObject({ id: 'c2', status: 'open', unreadByAgent: 1 });
    });

    it('posts as agent, or as bot with X-Framewire-Author: bot, idempotently, and reads the messages', async () => {
      await start('c1');
      const answer = await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'b1', text: 'I am a bot' }, headers: { 'x-framewire-author': 'bot' } });
      expect(answer.status).toBe(201);
      expect(answer.json).toMatchObject({ author: 'bot', seq: 1 });
      const repeated = await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'b1', text: 'I am a bot' }, headers: { 'x-framewire-author': 'bot' } });
      expect(repeated.status).toBe(200);
      expect((await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'a1', text: 'human' } })).json).toMatchObject({ author: 'agent', seq: 2 });
      expect((await agent('shop/conversations/c1/messages', { method: 'POST', body: { id: 'x', text: 'y' }, headers: { 'x-framewire-author': 'visitor' } })).status).toBe(400);
      const page = (await agent('shop/conversations/c1/messages?after=1')).json as MessagePage;
      expect(page.messages.map((m) => m.id)).toEqual(['a1']);
    });

    it('streams the widget’s new messages and status changes to the inbox', async () => {
      const { secret } = await start('c1');
      const inbox = await stream(`${app.url}/api/widgets/shop/conversations/events`, { authorization: `Bearer ${ACME_KEY}` });
      expect(inbox.status).toBe(200);
      await start('elsewhere', 'other').then((other) => say('elsewhere', other.secret, 'o1', 'not for shop'));
      await say('c1', secret, 'm1', 'hello team');
      await agent('shop/conversations/c1/close', { method: 'POST' });
      await inbox.until((c) => c.events.length >= 2);
      expect(inbox.events).toEqual([
        { event: 'message', id: null, data: expect.objectContaining({ id: 'm1', conversationId: 'c1', text: 'hello team' }) },
        { event: 'status', id: null, data: { conversationId: 'c1', status: 'closed' } },
      ]);
    });
  });
});
