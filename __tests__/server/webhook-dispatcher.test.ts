import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, startCollector } from '../../server';
import type { EventStore } from '../../server';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import { WEBHOOK_HEADERS } from '../../lib/protocol/conversations';
import type { WebhookDelivery } from '../../lib/protocol/conversations';
import { createWebhookDispatcher, GIVEN_UP_AT, verifyWebhookSignature } from '../../server/webhooks';
import type { DispatcherLogger, WebhookDispatcher, WebhookDispatcherOptions } from '../../server/webhooks';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { deliveryRow, insertVisitorMessage, openRawDatabase, startReceiver } from './support/webhook-fixtures';
import type { RawDatabase, Receiver } from './support/webhook-fixtures';

const T0 = Date.UTC(2026, 0, 1, 12);
const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrs';
const HOUR = 60 * 60 * 1000;

/** Timers that never fire: the tests drive each pass with `runOnce()`. */
const MANUAL_TIMERS = { setTimeout: () => 0, clearTimeout: () => undefined };

describe.each(ENGINES)('the webhook dispatcher on $name', ({ create }) => {
  let fixture: EngineFixture;
  let databaseUrl: string;
  let store: EventStore;
  let db: RawDatabase;
  let receiver: Receiver;
  let clock: number;
  const warnings: string[] = [];
  const logger: DispatcherLogger = { info: () => undefined, warn: (_fields, message) => void warnings.push(message) };
  const dispatchers: WebhookDispatcher[] = [];
  const extraStores: EventStore[] = [];

  const dispatcher = (options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher => {
    const created = createWebhookDispatcher({
      outbox: store,
      instanceId: 'collector-a',
      now: () => clock,
      logger,
      allowPrivate: true,
      random: () => 1,
      timers: MANUAL_TIMERS,
      ...options,
    });
    dispatchers.push(created);
    return created;
  };
  const message = (messageId: string, conversationId = 'c-1', seq = 1) =>
    insertVisitorMessage(db, { widgetId: 'shop', conversationId, messageId, seq, at: clock, text: `text of ${messageId}` });

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    clock = T0;
    warnings.length = 0;
    databaseUrl = await fixture.freshDatabaseUrl();
    store = await openStore({ databaseUrl });
    db = await openRawDatabase(databaseUrl);
    receiver = await startReceiver();
    await store.putWidget({
      widgetId: 'shop',
      owner: 'acme',
      document: { name: 'Shop', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT, webhookUrl: receiver.url },
      expectedRevision: null,
      now: T0,
      newWebhookSecret: SECRET,
    });
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await receiver.close();
    await db.close();
    await Promise.all(extraStores.splice(0).map((s) => s.close()));
    await store.close();
  });

  it('delivers a visitor message once, signed, with its delivery id, and records it', async () => {
    await message('m-1');
    const d = dispatcher();
    expect(await d.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]).toBe('m-1');
    const header = request?.headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string;
    expect(header).toMatch(new RegExp(`^t=${Math.floor(T0 / 1000)},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature({ secret: SECRET, body: request?.body ?? '', header, nowSeconds: Math.floor(T0 / 1000) })).toBe('ok');
    const delivery: WebhookDelivery = {
      type: 'message.created',
      widgetId: 'shop',
      conversation: { id: 'c-1', anonymousId: 'anon-1', userId: null, status: 'open' },
      message: { id: 'm-1', conversationId: 'c-1', author: 'visitor', text: 'text of m-1', createdAt: T0, seq: 1 },
    };
    expect(JSON.parse(request?.body ?? '')).toEqual(delivery);
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 1, deliveredAt: T0, claimedBy: null, lastError: null });
    clock += HOUR;
    expect(await d.runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failed delivery with backoff (10 s doubling), then records it delivered', async () => {
    await message('m-1');
    receiver.answers = [500, 503, 404];
    const d = dispatcher();
    await d.runOnce();
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 10_000, deliveredAt: null, lastError: 'answered 500', claimedBy: null });
    clock = T0 + 9_999;
    expect(await d.runOnce()).toBe(0);
    clock = T0 + 10_000;
    expect(await d.runOnce()).toBe(1);
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 10_000 + 20_000, lastError: 'answered 503' });
    clock = T0 + 30_000;
    await d.runOnce();
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 3, nextAttemptAt: T0 + 30_000 + 40_000, lastError: 'answered 404' });
    clock = T0 + 70_000;
    await d.runOnce();
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 4, deliveredAt: T0 + 70_000, lastError: null });
    expect(receiver.received.map((r) => r.headers[WEBHOOK_HEADERS.delivery.toLowerCase()])).toEqual(['m-1', 'm-1', 'm-1', 'm-1']);
  });

  it('jitters each wait into its upper half and caps it at an hour', async () => {
    await message('m-1');
    receiver.answers = [500, 500];
    const d = dispatcher({ random: () => 0, retry: { baseDelayMs: 2 * HOUR } });
    await d.runOnce();
    expect((await deliveryRow(db, 'm-1')).nextAttemptAt).toBe(T0 + HOUR / 2);
  });

  it('gives a delivery up once it is a day old, keeping its last error, and warns', async () => {
    await message('m-1');
    receiver.answers = [500];
    clock = T0 + 24 * HOUR;
    await dispatcher().runOnce();
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ attempts: 1, nextAttemptAt: GIVEN_UP_AT, deliveredAt: null, lastError: 'answered 500' });
    expect(warnings).toContain('webhook delivery given up');
    clock += 365 * 24 * HOUR;
    expect(await dispatcher().runOnce()).toBe(0);
  });

  it('refuses a private address for good without the switch, and sends nothing', async () => {
    await message('m-1');
    await dispatcher({ allowPrivate: false }).runOnce();
    expect(receiver.received).toHaveLength(0);
    const row = await deliveryRow(db, 'm-1');
    expect(row).toMatchObject({ nextAttemptAt: GIVEN_UP_AT, deliveredAt: null });
    expect(row.lastError).toMatch(/^private address: 127\.0\.0\.1/);
    expect(warnings.some((w) => w.includes('private address'))).toBe(true);
  });

  it('connects to the address it checked, without asking DNS again, and keeps the URL host in Host', async () => {
    const port = new URL(receiver.url).port;
    await store.putWidget({
      widgetId: 'shop',
      owner: 'acme',
      document: { name: 'Shop', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT, webhookUrl: `http://bot.invalid:${port}/hook` },
      expectedRevision: null,
      now: T0,
    });
    await message('m-1');
    const asked: string[] = [];
    // `.invalid` never resolves (RFC 6761): only the checked address can have been used.
    const lookup = async (host: string) => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    await dispatcher({ lookup }).runOnce();
    expect(asked).toEqual(['bot.invalid']);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers.host).toBe(`bot.invalid:${port}`);
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ deliveredAt: T0 });
  });

  it('leaves a claimed row to its claimer while the lease holds; after it, another collector sends it again', async () => {
    await message('m-1');
    let release = () => undefined as void;
    receiver.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = dispatcher({ instanceId: 'collector-a', leaseMs: 60_000 });
    const b = dispatcher({ instanceId: 'collector-b', leaseMs: 60_000 });
    const sending = a.runOnce();
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ claimedBy: 'collector-a', claimedUntil: T0 + 60_000 });
    clock = T0 + 59_999;
    expect(await b.runOnce()).toBe(0);
    // Collector a is stuck (or died) past its lease: b takes over and sends again (at least once).
    clock = T0 + 60_001;
    receiver.hold = null;
    expect(await b.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    release();
    await sending;
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ deliveredAt: expect.any(Number) });
  });

  it('sends each of many deliveries once when two collectors with their own connections work the outbox together', async () => {
    for (let i = 1; i <= 24; i++) await message(`m-${i}`, `c-${Math.ceil(i / 3)}`, ((i - 1) % 3) + 1);
    const other = await openStore({ databaseUrl });
    extraStores.push(other);
    const a = dispatcher({ instanceId: 'collector-a', batchSize: 3 });
    const b = dispatcher({ instanceId: 'collector-b', batchSize: 3, outbox: other });
    const drain = async (d: WebhookDispatcher) => {
      while ((await d.runOnce()) > 0);
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    const ids = receiver.received.map((r) => String(r.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]));
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    const undelivered = await db.all(`SELECT message_id FROM webhook_deliveries WHERE delivered_at IS NULL`);
    expect(undelivered).toEqual([]);
  });

  it('never hands one row to two claims made at the same moment by two collectors', async () => {
    for (let i = 1; i <= 60; i++) await message(`m-${i}`, `c-${Math.ceil(i / 6)}`, ((i - 1) % 6) + 1);
    const other = await openStore({ databaseUrl });
    extraStores.push(other);
    const claim = (outbox: EventStore, claimer: string) => outbox.claimDueDeliveries({ claimer, now: clock, leaseMs: 60_000, limit: 4 });
    const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? claim(store, `a-${i}`) : claim(other, `b-${i}`))));
    const keys = claims.flat().map((d) => d.messageId);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(60);
  });

  it('drops a delivery whose message was deleted, or whose widget no longer has a webhook', async () => {
    await message('m-1');
    await message('m-2', 'c-2');
    await db.run(`DELETE FROM conversation_messages WHERE id = ?`, 'm-1');
    await dispatcher().runOnce();
    expect(await deliveryRow(db, 'm-1')).toMatchObject({ nextAttemptAt: GIVEN_UP_AT, lastError: 'message deleted' });
    expect(receiver.received).toHaveLength(1);
    await store.putWidget({ widgetId: 'shop', owner: 'acme', document: { name: 'Shop', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT, webhookUrl: null }, expectedRevision: null, now: T0 });
    await message('m-3', 'c-3');
    await dispatcher().runOnce();
    expect(await deliveryRow(db, 'm-3')).toMatchObject({ nextAttemptAt: GIVEN_UP_AT, lastError: 'webhook removed' });
    expect(receiver.received).toHaveLength(1);
  });

  it('runs inside a started collector, polling the outbox, and stops with it', async () => {
    const collector = await startCollector({ databaseUrl, port: 0, logLevel: 'silent', webhookAllowPrivate: true, retention: { schedule: false } });
    try {
      expect(collector.webhooks).not.toBeNull();
      clock = Date.now();
      await message('m-live');
      await expect.poll(() => receiver.received.length, { timeout: 5000 }).toBe(1);
      await expect.poll(async () => (await deliveryRow(db, 'm-live')).deliveredAt, { timeout: 5000 }).not.toBeNull();
    } finally {
      await collector.close();
    }
    await message('m-after', 'c-after');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it('starts no dispatcher when the webhooks option is off', async () => {
    const collector = await startCollector({ databaseUrl, port: 0, logLevel: 'silent', webhooks: false, retention: { schedule: false } });
    try {
      expect(collector.webhooks).toBeNull();
    } finally {
      await collector.close();
    }
  });
});
