import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import type { ConversationMessage, StartedConversation } from '../../lib/protocol/conversations';
import { postgresFixture } from './support/engines';
import { post, send } from './support/http';
import { rawSql } from './support/raw-sql';
import { openSse } from './support/sse';
import type { SseClient } from './support/sse';

const KEY = 'acme-all-key-0123456789';

describe('conversations across two collectors sharing one PostgreSQL database', () => {
  const fixture = postgresFixture();
  let a: RunningCollector;
  let b: RunningCollector;
  let databaseUrl: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    databaseUrl = await fixture.freshDatabaseUrl();
    const options = { port: 0, databaseUrl, logLevel: 'silent' as const, apiKeys: [{ key: KEY, owner: 'acme', widgets: '*' as const }] };
    [a, b] = await Promise.all([startCollector(options), startCollector(options)]);
  });
  afterAll(async () => {
    for (const client of streams) client.close();
    await Promise.all([a?.close(), b?.close()]);
    await fixture.teardown();
  });

  const open = async (url: string, headers: Record<string, string>): Promise<SseClient> => {
    const client = await openSse(url, headers);
    streams.push(client);
    return client;
  };

  it('delivers a message posted through one collector to streams on the other, in order, once', async () => {
    const started = (await post(a.url, '/api/conversations', { id: 'c1', widgetId: 'shop', anonymousId: 'v' })).json as StartedConversation;
    const secret = { [CONVERSATION_SECRET_HEADER]: started.secret };
    const visitorOnB = await open(`${b.url}/api/conversations/c1/events`, secret);
    const inboxOnA = await open(`${a.url}/api/widgets/shop/conversations/events`, { authorization: `Bearer ${KEY}` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 1; i <= 10; i++) {
      const target = i % 2 === 0 ? b : a;
      const answer = await post(target.url, '/api/widgets/shop/conversations/c1/messages', { id: `a${i}`, text: `reply ${i}` }, { headers: { authorization: `Bearer ${KEY}` } });
      expect(answer.status).toBe(201);
    }
    expect((await post(b.url, '/api/conversations/c1/messages', { id: 'v1', text: 'thanks' }, { headers: secret })).status).toBe(201);
    await visitorOnB.until((c) => c.events.length >= 11);
    expect(visitorOnB.events.map((e) => (e.data as ConversationMessage).seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    await inboxOnA.until((c) => c.events.length >= 11);
    expect(inboxOnA.events.map((e) => (e.data as ConversationMessage).id).sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `a${i + 1}`), 'v1'].sort());
  });

  it('delivers a close made on one collector to the visitor’s stream on the other', async () => {
    const started = (await post(b.url, '/api/conversations', { id: 'c2', widgetId: 'shop', anonymousId: 'v' })).json as StartedConversation;
    const stream = await open(`${b.url}/api/conversations/c2/events`, { [CONVERSATION_SECRET_HEADER]: started.secret });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post(a.url, '/api/widgets/shop/conversations/c2/close', undefined, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    await stream.until((c) => c.events.length >= 1);
    expect(stream.events).toEqual([{ event: 'status', id: null, data: { status: 'closed' } }]);
  });

  it('wakes a long poll on one collector with a reply posted through the other', async () => {
    const started = (await post(a.url, '/api/conversations', { id: 'c3', widgetId: 'shop', anonymousId: 'v' })).json as StartedConversation;
    const secret = { [CONVERSATION_SECRET_HEADER]: started.secret };
    const waiting = send(`${b.url}/api/conversations/c3/messages?after=0&wait=20`, { headers: secret });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const began = Date.now();
    await post(a.url, '/api/widgets/shop/conversations/c3/messages', { id: 'a1', text: 'hello' }, { headers: { authorization: `Bearer ${KEY}` } });
    const page = await waiting;
    expect(Date.now() - began).toBeLessThan(5000);
    expect((page.json as { messages: ConversationMessage[] }).messages.map((m) => m.id)).toEqual(['a1']);
  });

  it('catches a stream up on what it missed while its collector’s listening connection was down', async () => {
    const started = (await post(a.url, '/api/conversations', { id: 'c4', widgetId: 'shop', anonymousId: 'v' })).json as StartedConversation;
    const stream = await open(`${b.url}/api/conversations/c4/events`, { [CONVERSATION_SECRET_HEADER]: started.secret });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Every listening connection is cut (both collectors'); each reconnects on its own.
    const [cut] = await rawSql(databaseUrl, "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()");
    expect(Number(cut?.n)).toBeGreaterThanOrEqual(2);
    expect((await post(a.url, '/api/widgets/shop/conversations/c4/messages', { id: 'a1', text: 'while you were away' }, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(201);
    await stream.until((c) => c.events.length >= 1, 15_000);
    expect(stream.events.map((e) => (e.data as ConversationMessage).id)).toEqual(['a1']);
  });

  it('closes a collector with open streams promptly', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    const c = await startCollector({ port: 0, databaseUrl, logLevel: 'silent', shutdownTimeoutMs: 30_000 });
    const started = (await post(c.url, '/api/conversations', { id: 'c1', widgetId: 'shop', anonymousId: 'v' })).json as StartedConversation;
    const stream = await open(`${c.url}/api/conversations/c1/events`, { [CONVERSATION_SECRET_HEADER]: started.secret });
    expect(c.openStreams()).toBe(1);
    const began = Date.now();
    await c.close();
    await stream.ended;
    expect(Date.now() - began).toBeLessThan(5000);
    expect(c.openStreams()).toBe(0);
  });
});
