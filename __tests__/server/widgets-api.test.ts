import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyGrant } from '../../server';
import { DEFAULT_WIDGET_CONTENT, WIDGET_DOCUMENT_LIMITS } from '../../lib/protocol/widget-document';
import type { WidgetDocument } from '../../lib/protocol/widget-document';
import { WIDGET_CONFIG_CACHE } from '../../lib/protocol/collector';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { send } from './support/http';
import type { HttpAnswer, SendOptions } from './support/http';
import { listenApp, widgetDocument } from './support/widget-app';
import type { ListeningApp } from './support/widget-app';

const ACME_SHOP_KEY = 'acme-shop-key-0123456789';
const ACME_ALL_KEY = 'acme-all-key-0123456789';
const GLOBEX_KEY = 'globex-all-key-0123456789';
const KEYS: ApiKeyGrant[] = [
  { key: ACME_SHOP_KEY, owner: 'acme', widgets: ['shop'] },
  { key: ACME_ALL_KEY, owner: 'acme', widgets: '*' },
  { key: GLOBEX_KEY, owner: 'globex', widgets: '*' },
];
const NOW = Date.UTC(2026, 0, 1, 12);
const CONFIG_CACHE_CONTROL = `public, max-age=${WIDGET_CONFIG_CACHE.maxAgeSeconds}, stale-while-revalidate=${WIDGET_CONFIG_CACHE.staleWhileRevalidateSeconds}`;

describe.each(ENGINES)('the widget registry API on $name', ({ create }) => {
  let fixture: EngineFixture;
  let app: ListeningApp;

  const call = (path: string, key: string | null, options: SendOptions = {}): Promise<HttpAnswer> =>
    send(`${app.url}${path}`, { ...options, headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...options.headers } });
  const putWidget = (id: string, body: unknown, key: string | null = ACME_ALL_KEY, headers: Record<string, string> = {}) =>
    call(`/api/widgets/${id}`, key, { method: 'PUT', body, headers });

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    app = await listenApp(fixture, { apiKeys: KEYS, now: () => NOW });
  });
  afterEach(async () => {
    await app.close();
  });

  describe('saving and reading', () => {
    it('creates a widget with 201, owned by the key owner, and answers it on GET with its ETag', async () => {
      const created = await putWidget('shop', widgetDocument());
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.headers['cache-control']).toBe('no-store');
      const expected: WidgetDocument = { id: 'shop', owner: 'acme', ...widgetDocument(), webhookUrl: null, webhookSecretSet: false, revision: 1, updatedAt: NOW };
      expect(created.json).toEqual(expected);
      const read = await call('/api/widgets/shop', ACME_SHOP_KEY);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.json).toEqual(expected);
    });

    it('updates with 200 and the next revision, taking If-Match quoted or bare', async () => {
      await putWidget('shop', widgetDocument());
      const second = await putWidget('shop', widgetDocument({ name: 'Second' }), ACME_ALL_KEY, { 'if-match': '"1"' });
      expect(second.status).toBe(200);
      expect(second.headers.etag).toBe('"2"');
      expect(second.json).toMatchObject({ name: 'Second', revision: 2 });
      const third = await putWidget('shop', widgetDocument({ name: 'Third' }), ACME_ALL_KEY, { 'if-match': '2' });
      expect(third.status).toBe(200);
      expect(third.json).toMatchObject({ name: 'Third', revision: 3 });
    });

    it('answers 412 with the current revision for a stale If-Match and keeps the stored document', async () => {
      await putWidget('shop', widgetDocument());
      await putWidget('shop', widgetDocument({ name: 'Second' }), ACME_ALL_KEY, { 'if-match': '"1"' });
      const stale = await putWidget('shop', widgetDocument({ name: 'Lost' }), ACME_ALL_KEY, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.json).toEqual({ error: 'stale revision', revision: 2 });
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).json).toMatchObject({ name: 'Second', revision: 2 });
    });

    it('lets exactly one of concurrent saves with the same If-Match win; the others get 412', async () => {
      await putWidget('shop', widgetDocument());
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => putWidget('shop', widgetDocument({ name: `Editor ${i}` }), ACME_ALL_KEY, { 'if-match': '"1"' })),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 412)).toHaveLength(5);
      const winner = answers.find((a) => a.status === 200)?.json as WidgetDocument;
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).json).toMatchObject({ name: winner.name, revision: 2 });
    });

    it('takes If-Match: * only for a widget that exists', async () => {
      const missing = await putWidget('shop', widgetDocument(), ACME_ALL_KEY, { 'if-match': '*' });
      expect(missing.status).toBe(412);
      expect(missing.json).toEqual({ error: 'stale revision', revision: 0 });
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).status).toBe(404);
      await putWidget('shop', widgetDocument());
      const existing = await putWidget('shop', widgetDocument({ name: 'Any' }), ACME_ALL_KEY, { 'if-match': '*' });
      expect(existing.status).toBe(200);
      expect(existing.json).toMatchObject({ name: 'Any', revision: 2 });
    });

    it('takes If-None-Match: * only for a widget that does not exist yet, and never overwrites one', async () => {
      const created = await putWidget('shop', widgetDocument(), ACME_ALL_KEY, { 'if-none-match': '*' });
      expect(created.status).toBe(201);
      const again = await putWidget('shop', widgetDocument({ name: 'Second' }), ACME_ALL_KEY, { 'if-none-match': '*' });
      expect(again).toMatchObject({ status: 412, json: { error: 'stale revision', revision: 1 } });
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).json).toMatchObject({ name: 'Shop widget', revision: 1 });
      expect(await putWidget('shop', widgetDocument(), GLOBEX_KEY, { 'if-none-match': '*' })).toMatchObject({ status: 404 });
    });

    it('saves unconditionally without If-Match (last write wins)', async () => {
      await putWidget('shop', widgetDocument());
      await putWidget('shop', widgetDocument({ name: 'Second' }));
      const last = await putWidget('shop', widgetDocument({ name: 'Third' }));
      expect(last.status).toBe(200);
      expect(last.json).toMatchObject({ name: 'Third', revision: 3 });
    });

    it('accepts a GET answer sent back whole, ignoring its read-only fields', async () => {
      await putWidget('shop', widgetDocument());
      const read = (await call('/api/widgets/shop', ACME_ALL_KEY)).json as WidgetDocument;
      const saved = await putWidget('shop', { ...read, name: 'Edited', owner: 'someone-else', revision: 99, updatedAt: 1 }, ACME_ALL_KEY, { 'if-match': '"1"' });
      expect(saved.status).toBe(200);
      expect(saved.json).toMatchObject({ id: 'shop', owner: 'acme', name: 'Edited', revision: 2, updatedAt: NOW });
    });

    it('answers 400 for an id other than the path, a bad If-Match, or a bad widget id', async () => {
      const wrongId = await putWidget('shop', { id: 'blog', ...widgetDocument() });
      expect(wrongId.status).toBe(400);
      expect(wrongId.json).toEqual({ error: 'invalid widget document', problems: [{ path: 'id', message: expect.stringContaining('shop') }] });
      expect((await putWidget('shop', widgetDocument(), ACME_ALL_KEY, { 'if-match': 'W/"1"' })).status).toBe(400);
      expect((await putWidget('bad.id', widgetDocument())).status).toBe(400);
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).status).toBe(404);
    });

    it('answers 400 with every problem of an invalid document, stores nothing', async () => {
      const bad = widgetDocument({ name: '', allowedOrigins: ['https://shop.example/path'] });
      const answer = await putWidget('shop', { ...bad, content: { ...DEFAULT_WIDGET_CONTENT, theme: { ...DEFAULT_WIDGET_CONTENT.theme, accentColor: 'red' } }, extra: 1 });
      expect(answer.status).toBe(400);
      expect(answer.headers['cache-control']).toBe('no-store');
      const { error, problems } = answer.json as { error: string; problems: { path: string; message: string }[] };
      expect(error).toBe('invalid widget document');
      expect(problems.map((p) => p.path).sort()).toEqual(['', 'allowedOrigins.0', 'content.theme.accentColor', 'name']);
      expect(problems.find((p) => p.path === '')?.message).toBe('unknown field: extra');
      expect((await putWidget('shop', [widgetDocument()])).json).toMatchObject({ error: 'invalid widget document' });
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).status).toBe(404);
    });

    it('refuses __proto__ and constructor keys in the body as unknown fields', async () => {
      const text = JSON.stringify(widgetDocument()).replace('{', '{"__proto__":{"polluted":true},"constructor":{"x":1},');
      const answer = await putWidget('shop', text);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: 'invalid widget document', problems: [{ path: '', message: 'unknown fields: __proto__, constructor' }] });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('takes a document far over the ingestion body limit, up to 256 KB, and refuses more with 413', async () => {
      // Content at its 32 K character limit, mostly non-ASCII, sent with every such character escaped: about 190 KB.
      const answersOf = (q: number, urlPath: string) =>
        Array.from({ length: WIDGET_DOCUMENT_LIMITS.answers }, (_, a) => ({
          id: `a${a}`,
          label: 'é'.repeat(WIDGET_DOCUMENT_LIMITS.label),
          offer: { offerId: `o${q}-${a}`, label: 'ü'.repeat(WIDGET_DOCUMENT_LIMITS.label), url: `https://shop.example/${urlPath}` },
        }));
      const contentWith = (urlPath: string) => ({
        ...DEFAULT_WIDGET_CONTENT,
        greeting: 'ø'.repeat(WIDGET_DOCUMENT_LIMITS.greeting),
        survey: {
          questions: Array.from({ length: WIDGET_DOCUMENT_LIMITS.questions }, (_, q) => ({ id: `q${q}`, text: 'ü'.repeat(WIDGET_DOCUMENT_LIMITS.questionText), answers: answersOf(q, urlPath) })),
        },
      });
      const offers = WIDGET_DOCUMENT_LIMITS.questions * WIDGET_DOCUMENT_LIMITS.answers;
      const room = WIDGET_DOCUMENT_LIMITS.contentLength - JSON.stringify(contentWith('')).length;
      const content = contentWith('ß'.repeat(Math.floor(room / offers)));
      expect(JSON.stringify(content).length).toBeLessThanOrEqual(WIDGET_DOCUMENT_LIMITS.contentLength);
      const escaped = JSON.stringify(widgetDocument({ content })).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(escaped.length).toBeGreaterThan(64 * 1024);
      const saved = await putWidget('shop', escaped);
      expect(saved.status).toBe(201);
      expect((saved.json as WidgetDocument).content.greeting).toBe(content.greeting);
      const tooLarge = await putWidget('shop', `{"name":"${'x'.repeat(256 * 1024)}"}`);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.json).toEqual({ error: `body larger than ${256 * 1024} bytes` });
    });
  });

  describe('keys and owners', () => {
    it('answers 401 without a key and 404 for a widget the key is not granted, existing or not', async () => {
      await putWidget('blog', widgetDocument());
      const anonymous = await call('/api/widgets/blog', null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['cache-control']).toBe('no-store');
      expect((await call('/api/widgets', null)).status).toBe(401);
      const notGranted = await call('/api/widgets/blog', ACME_SHOP_KEY);
      expect(notGranted.status).toBe(404);
      expect(notGranted.json).toEqual({ error: 'not found' });
      expect((await call('/api/widgets/nothing', ACME_SHOP_KEY)).json).toEqual(notGranted.json);
    });

    it('refuses a save without a key with 401 before reading the body', async () => {
      const answer = await putWidget('shop', `{"name":"${'x'.repeat(512 * 1024)}"}`, null);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="framewire"');
    });

    it('refuses to create a widget outside the key grants with 404, creating nothing', async () => {
      const answer = await putWidget('blog', widgetDocument(), ACME_SHOP_KEY);
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: 'not found' });
      expect((await call('/api/widgets/blog', ACME_ALL_KEY)).status).toBe(404);
    });

    it('hides a widget of another owner: GET and PUT answer 404, the widget stays as it was', async () => {
      await putWidget('shop', widgetDocument());
      expect(await call('/api/widgets/shop', GLOBEX_KEY)).toMatchObject({ status: 404, json: { error: 'not found' } });
      expect(await putWidget('shop', widgetDocument({ name: 'Taken' }), GLOBEX_KEY)).toMatchObject({ status: 404, json: { error: 'not found' } });
      expect(await putWidget('shop', widgetDocument({ name: 'Taken' }), GLOBEX_KEY, { 'if-match': '"1"' })).toMatchObject({ status: 404 });
      expect(await putWidget('shop', widgetDocument({ name: 'Taken' }), GLOBEX_KEY, { 'if-match': '*' })).toMatchObject({ status: 404 });
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).json).toMatchObject({ owner: 'acme', name: 'Shop widget', revision: 1 });
    });

    it('lists only the widgets of the key owner that its grants reach', async () => {
      await putWidget('shop', widgetDocument());
      await putWidget('blog', widgetDocument({ name: 'Blog' }));
      await putWidget('globex-site', widgetDocument({ name: 'Globex' }), GLOBEX_KEY);
      const all = await call('/api/widgets', ACME_ALL_KEY);
      expect(all.status).toBe(200);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.json).toEqual({
        widgets: [
          { id: 'blog', owner: 'acme', name: 'Blog', revision: 1, updatedAt: NOW },
          { id: 'shop', owner: 'acme', name: 'Shop widget', revision: 1, updatedAt: NOW },
        ],
      });
      expect(((await call('/api/widgets', ACME_SHOP_KEY)).json as { widgets: { id: string }[] }).widgets.map((w) => w.id)).toEqual(['shop']);
      expect(((await call('/api/widgets', GLOBEX_KEY)).json as { widgets: { id: string }[] }).widgets.map((w) => w.id)).toEqual(['globex-site']);
    });

    it("keeps a registered widget's analytics to its owner: another owner's * key gets 404, unregistered widgets stay readable", async () => {
      await putWidget('shop', widgetDocument());
      expect((await call('/api/analytics/widget/shop/summary', ACME_ALL_KEY)).status).toBe(200);
      expect(await call('/api/analytics/widget/shop/summary', GLOBEX_KEY)).toMatchObject({ status: 404, json: { error: 'not found' } });
      expect(await call('/api/analytics/widget/shop/offers', GLOBEX_KEY)).toMatchObject({ status: 404 });
      expect((await call('/api/analytics/widget/unregistered/summary', GLOBEX_KEY)).status).toBe(200);
    });

    it('answers no CORS headers to another origin, and no preflight, on the key-guarded routes', async () => {
      await putWidget('shop', widgetDocument());
      const read = await call('/api/widgets/shop', ACME_ALL_KEY, { headers: { origin: 'https://shop.example' } });
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await call('/api/widgets/shop', null, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBeGreaterThanOrEqual(400);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
    });
  });

  describe('the webhook', () => {
    const HOOK = 'https://93.184.215.14/framewire';
    const secretRoute = (id: string, key: string | null) => call(`/api/widgets/${id}/webhook/secret`, key, { method: 'POST' });

    it('answers the new secret once, with the save that sets the first URL, and never in a read', async () => {
      const created = await putWidget('shop', widgetDocument({ webhookUrl: HOOK }));
      expect(created.status).toBe(201);
      const { webhookSecret, ...document } = created.json as WidgetDocument & { webhookSecret: string };
      expect(webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(document).toMatchObject({ webhookUrl: HOOK, webhookSecretSet: true });
      const read = await call('/api/widgets/shop', ACME_ALL_KEY);
      expect(read.json).toMatchObject({ webhookUrl: HOOK, webhookSecretSet: true });
      expect(read.text).not.toContain(webhookSecret);
      const again = await putWidget('shop', { ...(read.json as object), name: 'Again' }, ACME_ALL_KEY, { 'if-match': '"1"' });
      expect(again.status).toBe(200);
      expect(again.json).not.toHaveProperty('webhookSecret');
      expect((await call('/api/widgets/shop/config', null)).text).not.toContain('framewire');
    });

    it('keeps the URL when a PUT leaves the field out, and removes it with null', async () => {
      await putWidget('shop', widgetDocument({ webhookUrl: HOOK }));
      expect((await putWidget('shop', widgetDocument({ name: 'Editor without the field' }))).json).toMatchObject({ webhookUrl: HOOK });
      expect((await putWidget('shop', widgetDocument({ webhookUrl: null }))).json).toMatchObject({ webhookUrl: null });
    });

    it('refuses URLs that reach loopback, private or link-local addresses with 400, naming the field', async () => {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[fd00::1]/']) {
        const refused = await putWidget('shop', widgetDocument({ webhookUrl: url }));
        expect(refused.status, url).toBe(400);
        expect(refused.json, url).toEqual({
          error: 'invalid widget document',
          problems: [{ path: 'webhookUrl', message: expect.stringContaining('private address') }],
        });
      }
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).status).toBe(404);
    });

    it('rotates the secret for the owner and answers it once; other owners and unknown widgets get 404', async () => {
      const created = await putWidget('shop', widgetDocument({ webhookUrl: HOOK }));
      const first = (created.json as { webhookSecret: string }).webhookSecret;
      const rotated = await secretRoute('shop', ACME_SHOP_KEY);
      expect(rotated.status).toBe(200);
      expect(rotated.headers['cache-control']).toBe('no-store');
      const { secret } = rotated.json as { secret: string };
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secret).not.toBe(first);
      expect((await call('/api/widgets/shop', ACME_ALL_KEY)).json).toMatchObject({ revision: 1, webhookSecretSet: true });
      expect(await secretRoute('shop', GLOBEX_KEY)).toMatchObject({ status: 404, json: { error: 'not found' } });
      expect(await secretRoute('nothing', ACME_ALL_KEY)).toMatchObject({ status: 404, json: { error: 'not found' } });
      expect((await secretRoute('shop', null)).status).toBe(401);
      expect((await call('/api/widgets/shop/webhook/secret', ACME_ALL_KEY, { method: 'POST', body: {} })).status).toBe(200);
    });
  });

  describe('the public config', () => {
    it('answers the content with a strong ETag and public caching, to any origin', async () => {
      await putWidget('shop', widgetDocument());
      const answer = await call('/api/widgets/shop/config', null, { headers: { origin: 'https://anywhere.example' } });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ widgetId: 'shop', revision: 1, content: DEFAULT_WIDGET_CONTENT });
      expect(answer.headers.etag).toBe('"1"');
      expect(answer.headers['cache-control']).toBe(CONFIG_CACHE_CONTROL);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['access-control-expose-headers']).toBe('ETag');
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(answer.text).not.toContain('allowedOrigins');
      expect(answer.text).not.toContain('acme');
    });

    it('answers 304 without a body when If-None-Match names the current revision', async () => {
      await putWidget('shop', widgetDocument());
      for (const tag of ['"1"', 'W/"1"', '"0", "1"', '*']) {
        const answer = await call('/api/widgets/shop/config', null, { headers: { 'if-none-match': tag } });
        expect(answer.status, tag).toBe(304);
        expect(answer.text).toBe('');
        expect(answer.headers.etag).toBe('"1"');
        expect(answer.headers['cache-control']).toBe(CONFIG_CACHE_CONTROL);
      }
      expect((await call('/api/widgets/shop/config', null, { headers: { 'if-none-match': '"2"' } })).status).toBe(200);
    });

    it('serves a save through the API at once: the in-process cache forgets the widget', async () => {
      expect((await call('/api/widgets/shop/config', null)).status).toBe(404);
      await putWidget('shop', widgetDocument());
      expect((await call('/api/widgets/shop/config', null)).json).toMatchObject({ revision: 1 });
      const greeting = 'Fresh greeting';
      await putWidget('shop', widgetDocument({ content: { ...DEFAULT_WIDGET_CONTENT, greeting } }));
      const fresh = await call('/api/widgets/shop/config', null, { headers: { 'if-none-match': '"1"' } });
      expect(fresh.status).toBe(200);
      expect(fresh.json).toMatchObject({ revision: 2, content: { greeting } });
    });

    it('answers 404 with no-store for an unknown widget, and 400 for a bad id, with CORS', async () => {
      const unknown = await call('/api/widgets/nothing/config', null, { headers: { origin: 'https://anywhere.example' } });
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({ error: 'not found' });
      expect(unknown.headers['cache-control']).toBe('no-store');
      expect(unknown.headers['access-control-allow-origin']).toBe('*');
      const bad = await call('/api/widgets/bad.id/config', null);
      expect(bad.status).toBe(400);
      expect(bad.headers['cache-control']).toBe('no-store');
    });

    it('answers a preflight from any origin allowing GET with If-None-Match', async () => {
      const preflight = await call('/api/widgets/shop/config', null, {
        method: 'OPTIONS',
        headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-methods']).toContain('GET');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/if-none-match/i);
    });

    it('stays open to every origin when the collector restricts ingestion origins', async () => {
      await app.close();
      app = await listenApp(fixture, { apiKeys: KEYS, now: () => NOW, allowedOrigins: ['https://shop.example'] });
      await putWidget('shop', widgetDocument());
      const answer = await call('/api/widgets/shop/config', null, { headers: { origin: 'https://elsewhere.example' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
    });
  });
});

describe.each(ENGINES)('webhook URLs with FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE on $name', ({ create }) => {
  let fixture: EngineFixture;
  let app: ListeningApp;

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  afterEach(async () => {
    await app.close();
  });

  it('accepts a loopback URL', async () => {
    app = await listenApp(fixture, { apiKeys: KEYS, now: () => NOW, webhookAllowPrivate: true });
    const saved = await send(`${app.url}/api/widgets/shop`, {
      method: 'PUT',
      body: widgetDocument({ webhookUrl: 'http://127.0.0.1:9/hook' }),
      headers: { authorization: `Bearer ${ACME_ALL_KEY}` },
    });
    expect(saved.status).toBe(201);
    expect(saved.json).toMatchObject({ webhookUrl: 'http://127.0.0.1:9/hook', webhookSecretSet: true });
  });
});
