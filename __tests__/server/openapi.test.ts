import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type * as Fastify from 'fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CollectorError, createCollectorApp, normalizeConfig, openStore } from '../../server';
import type { ApiKeyGrant, CollectorApp, EventStore } from '../../server';
import { collectorOpenApiDocument, COLLECTOR_ROUTES, openApiPath } from '../../server/openapi';
import type { OpenApiDocument } from '../../server/openapi';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import { analytics, batch, click } from '../support/events';
import { widgetDocument } from './support/widget-app';

/** Every route fastify registers, as the apps of this file build them (an `onRoute` hook on each new instance). */
const registered = vi.hoisted(() => [] as { method: string; url: string }[]);
vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<typeof Fastify>();
  const create = ((options?: Parameters<typeof real.default>[0]) => {
    const app = real.default(options) as FastifyInstance;
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }) as unknown as typeof real.default;
  return { ...real, default: create };
});

const KEY = 'acme-key-0123456789abcdef';
const OTHER_KEY = 'globex-key-0123456789abcdef';
const KEYS: ApiKeyGrant[] = [
  { key: KEY, owner: 'acme', widgets: '*' },
  { key: OTHER_KEY, owner: 'globex', widgets: ['w-globex'] },
];
const auth = { authorization: `Bearer ${KEY}` };
const ALLOWED_ORIGIN = 'https://shop.example';

/** The routes the document leaves out by design: HEAD twins of GETs, CORS preflights. */
const LEFT_OUT = new Set(['HEAD', 'OPTIONS']);

/** `METHOD /path` of each registered route that the document does not describe. */
function undocumented(routes: readonly { method: string; url: string }[], document: OpenApiDocument): string[] {
  return routes
    .filter((route) => !LEFT_OUT.has(route.method))
    .filter((route) => document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()] === undefined)
    .map((route) => `${route.method} ${route.url}`);
}

/** `METHOD /path` of each operation of the document that no route serves. */
function unserved(routes: readonly { method: string; url: string }[], document: OpenApiDocument): string[] {
  const served = new Set(routes.map((route) => `${route.method.toLowerCase()} ${openApiPath(route.url)}`));
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => !served.has(`${method} ${path}`))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the OpenAPI document of the collector', () => {
  const document = collectorOpenApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  /** `(method path status)` of every answer checked against the document. */
  const checked = new Set<string>();

  let dir: string;
  let store: EventStore;
  let collector: CollectorApp;
  let url: string;
  let stopping = false;

  /** The document's schema of one answer, compiled once. */
  const answerSchema = (method: string, route: string, status: number, contentType: string): ValidateFunction | null => {
    const operation = document.paths[openApiPath(route)]?.[method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema: object }> }> } | undefined;
    expect(operation, `${method} ${route} is in the document`).toBeDefined();
    const response = operation?.responses[String(status)];
    expect(response, `${method} ${route} documents ${status}`).toBeDefined();
    if (response?.content === undefined) return null;
    const media = Object.keys(response.content).find((type) => contentType.startsWith(type));
    expect(media, `${method} ${route} ${status} documents ${contentType}`).toBeDefined();
    const key = `${method} ${route} ${status} ${media}`;
    let validate = validators.get(key);
    if (validate === undefined) {
      validate = ajv.compile(response.content[media ?? '']?.schema ?? {});
      validators.set(key, validate);
    }
    return validate;
  };

  /** One call through `inject`: its status must be `status`, and its body must match the document's schema for that status. */
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    route: string,
    target: string,
    status: number,
    options: { headers?: Record<string, string>; body?: unknown; payload?: string } = {},
  ): Promise<{ json: unknown; headers: Record<string, unknown>; text: string }> {
    const answer = await collector.app.inject({
      method,
      url: target,
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    expect(answer.statusCode, `${method} ${target}: ${answer.body.slice(0, 200)}`).toBe(status);
    const contentType = String(answer.headers['content-type'] ?? '');
    const validate = answerSchema(method, route, status, contentType);
    let json: unknown;
    if (validate !== null && contentType.startsWith('application/json')) {
      json = answer.json();
      expect(validate(json), `${method} ${target} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    } else if (validate === null) {
      expect(answer.body, `${method} ${target} ${status} has no body`).toBe('');
    }
    checked.add(`${method} ${route} ${status}`);
    return { json, headers: answer.headers, text: answer.body };
  }

  /** A stream route over real HTTP: its status and content type, then the connection is dropped. */
  function openStream(route: string, target: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${url}${target}`, { headers }, (response) => {
        try {
          expect(response.statusCode).toBe(200);
          answerSchema('GET', route, 200, String(response.headers['content-type']));
          expect(String(response.headers['content-type'])).toMatch(/^text\/event-stream/);
          checked.add(`GET ${route} 200`);
          resolve();
        } catch (error) {
          reject(error as Error);
        } finally {
          request.destroy();
        }
      });
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      request.end();
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'framewire-openapi-'));
    store = await openStore({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}` });
    collector = createCollectorApp(
      normalizeConfig({
        logLevel: 'silent',
        apiKeys: KEYS,
        allowedOrigins: [ALLOWED_ORIGIN],
        widgetOrigins: [ALLOWED_ORIGIN],
        maxBodyBytes: 64 * 1024,
        rateLimit: { burstEvents: 40, refillEventsPerSecond: 0.001 },
        retention: { schedule: false },
      }),
      store,
      () => stopping,
    );
    await collector.app.listen({ host: '127.0.0.1', port: 0 });
    const address = collector.app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterAll(async () => {
    await collector.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every route the collector registers, with its methods, and nothing else', () => {
    expect(registered.length).toBeGreaterThan(30);
    expect(undocumented(registered, document)).toEqual([]);
    expect(unserved(registered, document)).toEqual([]);
  });

  it('notices a registered route the document leaves out', () => {
    const withoutExport = collectorOpenApiDocument(COLLECTOR_ROUTES.filter((route) => route.operationId !== 'exportRows'));
    expect(undocumented(registered, withoutExport)).toEqual(['GET /api/widgets/:widgetId/export']);
  });

  it('is served at /openapi.json without a key, cacheable, 304 for the ETag held', async () => {
    const served = await call('GET', '/openapi.json', '/openapi.json', 200);
    expect(served.json).toEqual(document);
    expect(served.headers['cache-control']).toBe('public, max-age=300');
    await call('GET', '/openapi.json', '/openapi.json', 304, { headers: { 'if-none-match': String(served.headers.etag) } });
  });

  it('matches the real answers of ingestion, with every status it gives', async () => {
    const now = Date.now();
    await call('POST', '/api/track/click/batch', '/api/track/click/batch', 200, { body: batch([click({ timestamp: now }), { id: 'broken' }], 'w-acme') });
    await call('POST', '/api/track/click/batch', '/api/track/click/batch', 400, { body: { events: 'no' } });
    await call('POST', '/api/track/click/batch', '/api/track/click/batch', 403, { body: batch([click()], 'w-acme'), headers: { origin: 'https://evil.example' } });
    await call('POST', '/api/track/click/batch', '/api/track/click/batch', 413, { body: batch([click({ userAgent: 'x'.repeat(70_000) })], 'w-acme') });
    await call('POST', '/api/track/click/batch', '/api/track/click/batch', 415, { payload: '<xml/>', headers: { 'content-type': 'application/xml' } });
    await call('POST', '/api/track/click', '/api/track/click', 200, { body: { ...click({ timestamp: now }), widgetId: 'w-acme' } });
    await call('POST', '/api/track/click', '/api/track/click', 400, { body: [1] });
    await call('POST', '/api/analytics/events/batch', '/api/analytics/events/batch', 200, {
      body: batch([analytics({ timestamp: now }), analytics({ timestamp: now, name: 'message_sent' })], 'w-acme'),
    });
    // The bucket of (widget, address) holds 40 events: two batches of 20 empty it.
    const twenty = () => batch(Array.from({ length: 20 }, () => analytics({ timestamp: now })), 'w-limited');
    await call('POST', '/api/analytics/events/batch', '/api/analytics/events/batch', 200, { body: twenty() });
    await call('POST', '/api/analytics/events/batch', '/api/analytics/events/batch', 200, { body: twenty() });
    await call('POST', '/api/analytics/events/batch', '/api/analytics/events/batch', 429, { body: twenty() });
  });

  it('matches the real answers of the registry and the public config', async () => {
    await call('GET', '/api/widgets', '/api/widgets', 401);
    const created = await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 201, { headers: auth, body: widgetDocument() });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 200, { headers: { ...auth, 'if-match': '"1"' }, body: widgetDocument({ name: 'Renamed' }) });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 412, { headers: { ...auth, 'if-match': '"1"' }, body: widgetDocument() });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 400, { headers: auth, body: { name: '' } });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 400, { headers: { ...auth, 'if-match': 'W/"x"' }, body: widgetDocument() });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 404, { headers: { authorization: `Bearer ${OTHER_KEY}` }, body: widgetDocument() });
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 415, { headers: { ...auth, 'content-type': 'application/xml' }, payload: '<x/>' });
    await call('GET', '/api/widgets', '/api/widgets', 200, { headers: auth });
    await call('GET', '/api/widgets/:widgetId', '/api/widgets/w-acme', 200, { headers: auth });
    await call('GET', '/api/widgets/:widgetId', '/api/widgets/w-nobody', 404, { headers: auth });
    await call('GET', '/api/widgets/:widgetId', '/api/widgets/-bad-', 400, { headers: auth });
    await call('POST', '/api/widgets/:widgetId/webhook/secret', '/api/widgets/w-acme/webhook/secret', 200, { headers: auth });
    await call('POST', '/api/widgets/:widgetId/webhook/secret', '/api/widgets/w-nobody/webhook/secret', 404, { headers: auth });
    expect((created.json as { revision: number }).revision).toBe(1);

    const config = await call('GET', '/api/widgets/:widgetId/config', '/api/widgets/w-acme/config', 200);
    await call('GET', '/api/widgets/:widgetId/config', '/api/widgets/w-acme/config', 304, { headers: { 'if-none-match': String(config.headers.etag) } });
    await call('GET', '/api/widgets/:widgetId/config', '/api/widgets/w-nobody/config', 404);
    await call('GET', '/api/widgets/:widgetId/config', '/api/widgets/-bad-/config', 400);
  });

  it('matches the real answers of conversations, the visitor’s and the team’s', async () => {
    const origin = { origin: ALLOWED_ORIGIN };
    const start = { id: 'c-1', widgetId: 'w-acme', anonymousId: 'anon-1' };
    const started = await call('POST', '/api/conversations', '/api/conversations', 201, { headers: origin, body: start });
    await call('POST', '/api/conversations', '/api/conversations', 409, { headers: origin, body: start });
    await call('POST', '/api/conversations', '/api/conversations', 400, { headers: origin, body: { id: 'c-2' } });
    await call('POST', '/api/conversations', '/api/conversations', 403, { headers: { origin: 'https://evil.example' }, body: start });
    const secret = { ...origin, [CONVERSATION_SECRET_HEADER.toLowerCase()]: (started.json as { secret: string }).secret };
    const messages = '/api/conversations/:id/messages';
    await call('POST', messages, '/api/conversations/c-1/messages', 201, { headers: secret, body: { id: 'm-1', text: 'hello' } });
    await call('POST', messages, '/api/conversations/c-1/messages', 200, { headers: secret, body: { id: 'm-1', text: 'hello' } });
    await call('POST', messages, '/api/conversations/c-1/messages', 409, { headers: secret, body: { id: 'm-1', text: 'other' } });
    await call('POST', messages, '/api/conversations/c-1/messages', 400, { headers: secret, body: { id: 'm-2', text: '' } });
    await call('POST', messages, '/api/conversations/c-1/messages', 404, { headers: origin, body: { id: 'm-2', text: 'hi' } });
    await call('GET', messages, '/api/conversations/c-1/messages', 200, { headers: secret });
    await call('GET', messages, '/api/conversations/c-1/messages?wait=99', 400, { headers: secret });
    await openStream('/api/conversations/:id/events', '/api/conversations/c-1/events', secret);

    const agent = '/api/widgets/:widgetId/conversations';
    await call('GET', agent, '/api/widgets/w-acme/conversations', 200, { headers: auth });
    await call('GET', agent, '/api/widgets/w-acme/conversations', 401);
    await call('GET', agent, '/api/widgets/w-acme/conversations', 404, { headers: { authorization: `Bearer ${OTHER_KEY}` } });
    await call('GET', agent, '/api/widgets/w-acme/conversations?limit=0', 400, { headers: auth });
    await openStream(`${agent}/events`, '/api/widgets/w-acme/conversations/events', auth);
    await call('GET', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 200, { headers: auth });
    await call('GET', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-9/messages', 404, { headers: auth });
    await call('POST', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 201, { headers: auth, body: { id: 'a-1', text: 'hi there' } });
    await call('POST', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 200, { headers: auth, body: { id: 'a-1', text: 'hi there' } });
    await call('POST', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 409, { headers: auth, body: { id: 'a-1', text: 'changed' } });
    await call('POST', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 400, { headers: { ...auth, 'x-framewire-author': 'robot' }, body: { id: 'a-2', text: 'x' } });
    await call('POST', `${agent}/:id/messages`, '/api/widgets/w-acme/conversations/c-1/messages', 413, { headers: auth, body: { id: 'a-2', text: 'x'.repeat(20_000) } });
    await call('POST', `${agent}/:id/read`, '/api/widgets/w-acme/conversations/c-1/read', 204, { headers: auth, body: { seq: 1 } });
    await call('POST', `${agent}/:id/close`, '/api/widgets/w-acme/conversations/c-1/close', 200, { headers: auth });
    await call('POST', `${agent}/:id/reopen`, '/api/widgets/w-acme/conversations/c-1/reopen', 200, { headers: auth });
  });

  it('matches the real answers of the analytics read API, the erasure and the export', async () => {
    const prefix = '/api/analytics/widget/:widgetId';
    for (const name of ['summary', 'trends', 'events', 'traffic-sources', 'devices', 'offers', 'sessions', 'active']) {
      await call('GET', `${prefix}/${name}`, `/api/analytics/widget/w-acme/${name}`, 200, { headers: auth });
      await call('GET', `${prefix}/${name}`, `/api/analytics/widget/w-acme/${name}`, 401);
      await call('GET', `${prefix}/${name}`, `/api/analytics/widget/w-acme/${name}`, 404, { headers: { authorization: `Bearer ${OTHER_KEY}` } });
      await call('GET', `${prefix}/${name}`, `/api/analytics/widget/w-acme/${name}?from=x&minutes=99`, 400, { headers: auth });
    }
    const delivery = '/api/widgets/:widgetId/analytics/delivery';
    await call('GET', delivery, '/api/widgets/w-acme/analytics/delivery', 200, { headers: auth });
    await call('GET', delivery, '/api/widgets/w-acme/analytics/delivery', 401);
    await call('GET', delivery, '/api/widgets/w-acme/analytics/delivery', 404, { headers: { authorization: `Bearer ${OTHER_KEY}` } });
    await call('GET', delivery, '/api/widgets/w-acme/analytics/delivery?from=x', 400, { headers: auth });
    await call('DELETE', `${prefix}/users/:id`, '/api/analytics/widget/w-acme/users/anon-1', 200, { headers: auth });
    await call('DELETE', `${prefix}/users/:id`, '/api/analytics/widget/w-acme/users/anon-1', 401);
    const exported = await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export', 200, { headers: auth });
    expect(exported.text.startsWith('widget_id,event_id,')).toBe(true);
    await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export?format=ndjson&table=sessions', 200, { headers: auth });
    await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export?table=x', 400, { headers: auth });
    await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export', 401);
    await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export', 404, { headers: { authorization: `Bearer ${OTHER_KEY}` } });
  });

  it('matches the real answers of health and the dashboard', async () => {
    await call('GET', '/healthz', '/healthz', 200);
    await call('GET', '/readyz', '/readyz', 200);
    stopping = true;
    try {
      await call('GET', '/readyz', '/readyz', 503);
    } finally {
      stopping = false;
    }
    await call('GET', '/dashboard', '/dashboard', 301);
    const page = await collector.app.inject({ method: 'GET', url: '/dashboard/' });
    // 200 with a build of the dashboard, 503 without: both are documented.
    await call('GET', '/dashboard/*', '/dashboard/', page.statusCode);
  });

  it('matches the real answers when the store fails, and of a registry body over its limit', async () => {
    const fail = async (): Promise<never> => {
      throw new CollectorError('STORAGE_UNAVAILABLE', 'disk on fire');
    };
    const failing: EventStore = { ...store, insertEvents: fail, summary: fail, exportRows: fail, listWidgets: fail, getWidget: fail, conversationAccess: fail };
    const healthy = collector;
    collector = createCollectorApp(normalizeConfig({ logLevel: 'silent', apiKeys: KEYS, retention: { schedule: false } }), failing, () => false);
    try {
      await call('POST', '/api/track/click/batch', '/api/track/click/batch', 503, { body: batch([click()], 'w-acme') });
      await call('GET', '/api/analytics/widget/:widgetId/summary', '/api/analytics/widget/w-acme/summary', 503, { headers: auth });
      await call('GET', '/api/widgets/:widgetId/export', '/api/widgets/w-acme/export', 503, { headers: auth });
      await call('GET', '/api/widgets', '/api/widgets', 503, { headers: auth });
    } finally {
      await collector.app.close();
      collector = healthy;
    }
    await call('PUT', '/api/widgets/:widgetId', '/api/widgets/w-acme', 413, { headers: auth, body: widgetDocument({ name: 'x'.repeat(300_000) }) });
  });

  it('refuses an answer whose shape changed: a field more, a field less, a field of another type', async () => {
    const summary = (await call('GET', '/api/analytics/widget/:widgetId/summary', '/api/analytics/widget/w-acme/summary', 200, { headers: auth })).json as Record<string, unknown>;
    const validate = answerSchema('GET', '/api/analytics/widget/:widgetId/summary', 200, 'application/json');
    expect(validate?.(summary)).toBe(true);
    expect(validate?.({ ...summary, extra: 1 })).toBe(false);
    const missing = Object.fromEntries(Object.entries(summary).filter(([field]) => field !== 'clicks'));
    expect(validate?.(missing)).toBe(false);
    expect(validate?.({ ...summary, clicks: '3' })).toBe(false);
  });

  it('has checked a real answer of every route it describes', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const reached = new Set([...checked].map((entry) => {
      const [method, route] = entry.split(' ');
      return `${method} ${openApiPath(route ?? '')}`;
    }));
    expect(operations.filter((operation) => !reached.has(operation))).toEqual([]);
  });
});
