import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachDemoBot, botAnswer, startDemoBot } from '../../examples/demo/bot';
import { openStore } from '../../server';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { DemoBot } from '../../examples/demo/bot';
import { WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS } from '../../lib/protocol/conversations';
import type { WebhookDelivery } from '../../lib/protocol/conversations';
import { createWebhookDispatcher, signWebhook } from '../../server/webhooks';
import { send } from './support/http';
import { deliveryRow, insertVisitorMessage, openRawDatabase } from './support/webhook-fixtures';

const SECRET = 'demo-bot-secret-0123456789-abcdefghijklmnop';
const KEY = 'demo-key-0123456789abcdef';
const NOW = Date.UTC(2026, 0, 1, 12);

const delivery = (messageId: string, text: string, conversationId = 'c-1'): WebhookDelivery => ({
  type: 'message.created',
  widgetId: 'demo',
  conversation: { id: conversationId, anonymousId: 'anon-1', userId: null, status: 'open' },
  message: { id: messageId, conversationId, author: 'visitor', text, createdAt: NOW, seq: 1 },
});

interface Reply {
  path: string;
  headers: IncomingHttpHeaders;
  body: { id: string; text: string };
}

describe('the demo bot', () => {
  let collector: Server;
  let bot: DemoBot;
  let replies: Reply[];
  let collectorStatus: number;

  const deliver = (body: WebhookDelivery, options: { secret?: string; at?: number; tamper?: boolean } = {}) => {
    const text = JSON.stringify(body);
    const signature = signWebhook(options.secret ?? SECRET, text, Math.floor((options.at ?? NOW) / 1000));
    return send(bot.url, {
      method: 'POST',
      body: options.tamper === true ? text.replace('hours', 'h0urs') : text,
      headers: { [WEBHOOK_HEADERS.signature]: signature, [WEBHOOK_HEADERS.delivery]: body.message.id },
    });
  };

  beforeEach(async () => {
    replies = [];
    collectorStatus = 201;
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        replies.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply['body'] });
        response.writeHead(collectorStatus, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const address = collector.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    bot = await startDemoBot({ collectorUrl: `http://127.0.0.1:${port}`, apiKey: KEY, secret: SECRET, port: 0, now: () => NOW });
  });
  afterEach(async () => {
    await bot.close();
    collector.closeAllConnections();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  });

  it('answers a signed visitor message through the agent API as a bot, with the owner key', async () => {
    const answer = await deliver(delivery('m-1', 'What are your opening hours?'));
    expect(answer.status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.path).toBe('/api/widgets/demo/conversations/c-1/messages');
    expect(replies[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(replies[0]?.headers['x-framewire-author']).toBe('bot');
    expect(replies[0]?.body).toEqual({ id: expect.stringMatching(/^bot-[0-9a-f]{32}$/), text: botAnswer('hours').text });
  });

  it('refuses a tampered body, another secret and an old signature with 401, replying nothing', async () => {
    expect((await deliver(delivery('m-1', 'hours?'), { tamper: true })).status).toBe(401);
    expect((await deliver(delivery('m-2', 'hours?'), { secret: `${SECRET}x` })).status).toBe(401);
    expect((await deliver(delivery('m-3', 'hours?'), { at: NOW - (WEBHOOK_TOLERANCE_SECONDS + 1) * 1000 })).status).toBe(401);
    expect(replies).toEqual([]);
  });

  it('replies once to a delivery sent twice', async () => {
    expect((await deliver(delivery('m-1', 'shipping?'))).status).toBe(200);
    expect((await deliver(delivery('m-1', 'shipping?'))).status).toBe(200);
    expect(replies).toHaveLength(1);
  });

  it('answers 502 when its reply is not stored, and the resent delivery makes the same reply', async () => {
    collectorStatus = 503;
    expect((await deliver(delivery('m-1', 'returns?'))).status).toBe(502);
    collectorStatus = 201;
    expect((await deliver(delivery('m-1', 'returns?'))).status).toBe(200);
    expect(replies).toHaveLength(2);
    expect(replies[1]?.body).toEqual(replies[0]?.body);
  });

  it('hands over on "human" and then stays out of that conversation', async () => {
    await deliver(delivery('m-1', 'Can I talk to a human?'));
    await deliver(delivery('m-2', 'hours?'));
    await deliver(delivery('m-3', 'hours?', 'c-2'));
    expect(replies.map((r) => [r.path.split('/')[5], r.body.text])).toEqual([
      ['c-1', botAnswer('human').text],
      ['c-2', botAnswer('hours').text],
    ]);
  });

  it("takes the collector's own deliveries: the dispatcher signs, the bot verifies and replies, the row is delivered", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framewire-bot-'));
    const databaseUrl = `sqlite:${join(dir, 'demo.db')}`;
    const store = await openStore({ databaseUrl });
    const raw = await openRawDatabase(databaseUrl);
    const dispatcher = createWebhookDispatcher({
      outbox: store,
      instanceId: 'collector-a',
      now: () => NOW,
      logger: { info: () => undefined, warn: () => undefined },
      allowPrivate: true,
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    });
    try {
      await store.putWidget({ widgetId: 'demo', owner: 'demo', document: { name: 'Demo', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }, expectedRevision: null, now: NOW });
      await attachDemoBot(store, 'demo', { url: bot.url, secret: SECRET }, NOW);
      await insertVisitorMessage(raw, { widgetId: 'demo', conversationId: 'c-9', messageId: 'm-9', at: NOW, text: 'Do you ship abroad?' });
      expect(await dispatcher.runOnce()).toBe(1);
      expect(replies.map((r) => [r.path, r.body.text])).toEqual([['/api/widgets/demo/conversations/c-9/messages', botAnswer('shipping').text]]);
      expect(await deliveryRow(raw, 'm-9')).toMatchObject({ deliveredAt: NOW, lastError: null });
    } finally {
      await dispatcher.stop();
      await raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows hours, shipping and returns, and says what it knows otherwise', () => {
    expect(botAnswer('When are you open?').text).toMatch(/Monday/);
    expect(botAnswer('How long does delivery take?').text).toMatch(/shipping/);
    expect(botAnswer('I want a refund').text).toMatch(/30 days/);
    expect(botAnswer('Human please')).toMatchObject({ handOver: true });
    expect(botAnswer('Do you sell socks?')).toEqual({ text: expect.stringMatching(/hours, shipping or returns/), handOver: false });
  });
});

describe('attaching the demo bot', () => {
  it("saves the bot's URL on the widget once and hands it the bot's secret at every start", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framewire-bot-'));
    const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'demo.db')}` });
    try {
      expect(await attachDemoBot(store, 'demo', { url: 'http://127.0.0.1:4000/webhook', secret: 's1' })).toBe(false);
      await store.putWidget({ widgetId: 'demo', owner: 'demo', document: { name: 'Demo', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }, expectedRevision: null, now: NOW });
      expect(await attachDemoBot(store, 'demo', { url: 'http://127.0.0.1:4000/webhook', secret: 's1' }, NOW)).toBe(true);
      expect(await store.getWidget('demo')).toMatchObject({ webhookUrl: 'http://127.0.0.1:4000/webhook', webhookSecretSet: true, revision: 2 });
      expect(await attachDemoBot(store, 'demo', { url: 'http://127.0.0.1:4000/webhook', secret: 's2' }, NOW)).toBe(true);
      expect(await store.getWidget('demo')).toMatchObject({ revision: 2 });
      // Deliveries are now signed with the second start's secret.
      const raw = await openRawDatabase(`sqlite:${join(dir, 'demo.db')}`);
      await insertVisitorMessage(raw, { widgetId: 'demo', conversationId: 'c-1', messageId: 'm-1', at: NOW });
      await raw.close();
      const [claimed] = await store.claimDueDeliveries({ claimer: 'x', now: NOW, leaseMs: 1000, limit: 1 });
      expect(claimed).toMatchObject({ url: 'http://127.0.0.1:4000/webhook', secret: 's2' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
