import { afterEach, describe, expect, test, vi } from 'vitest';
import { isDashboardError } from '../../../components/dashboard/api/dashboard-error';
import { createWidgetsClient } from '../../../components/dashboard/api/widgets-client';
import { saveFailure } from '../../../components/dashboard/editor/save-outcome';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetDocument } from '../../../lib/protocol/widget-document';

const KEY = 'k_live_0123456789abcdef';
const DOCUMENT: WidgetDocument = {
  id: 'shop 1',
  owner: 'acme',
  name: 'Shop',
  allowedOrigins: ['https://shop.example'],
  content: DEFAULT_WIDGET_CONTENT,
  revision: 3,
  updatedAt: 1_764_547_200_000,
  webhookUrl: null,
  webhookSecretSet: false,
};
const INPUT = { name: DOCUMENT.name, allowedOrigins: DOCUMENT.allowedOrigins, content: DOCUMENT.content };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(answer: (url: URL, init: RequestInit) => Response | Promise<Response>, timeoutMs?: number) {
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(new URL(String(input)), init ?? {})));
  const api = createWidgetsClient({ apiKey: KEY, baseUrl: 'http://collector.test', fetch, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return { fetch, api, call: (index: number) => fetch.mock.calls[index] as [URL, RequestInit] };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the dashboard widgets client', () => {
  test('lists the key’s widgets from GET /api/widgets, with the key as a bearer token and no cookies', async () => {
    const summary = { id: 'shop', owner: 'acme', name: 'Shop', revision: 2, updatedAt: 1 };
    const { api, call } = client(() => json(200, { widgets: [summary] }));
    await expect(api.list()).resolves.toEqual([summary]);
    const [url, init] = call(0);
    expect(String(url)).toBe('http://collector.test/api/widgets');
    expect(init.method).toBe('GET');
    expect(init.headers).toMatchObject({ Authorization: `Bearer ${KEY}` });
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
  });

  test('an answer without a widget list is INVALID_RESPONSE', async () => {
    const { api } = client(() => json(200, { items: [] }));
    expect(isDashboardError(await api.list().catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
  });

  test('gets one document by its encoded id', async () => {
    const { api, call } = client(() => json(200, DOCUMENT, { etag: '"3"' }));
    await expect(api.get('shop 1')).resolves.toEqual(DOCUMENT);
    expect(String(call(0)[0])).toBe('http://collector.test/api/widgets/shop%201');
  });

  test('a 404 (a widget the key may not see) is NOT_FOUND; an answer that is no document is INVALID_RESPONSE', async () => {
    const missing = client(() => json(404, { error: 'unknown widget' }));
    expect(isDashboardError(await missing.api.get('other').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    const wrong = client(() => json(200, { id: 'x', name: 'y' }));
    expect(isDashboardError(await wrong.api.get('x').catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
  });

  test('saves with PUT, the loaded revision as If-Match and the document as JSON', async () => {
    const { api, call } = client(() => json(200, { ...DOCUMENT, revision: 4 }));
    await expect(api.save('shop 1', INPUT, 3)).resolves.toEqual({ outcome: 'updated', document: { ...DOCUMENT, revision: 4 } });
    const [url, init] = call(0);
    expect(String(url)).toBe('http://collector.test/api/widgets/shop%201');
    expect(init.method).toBe('PUT');
    expect(init.headers).toMatchObject({ 'If-Match': '"3"', 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` });
    expect(init.headers).not.toHaveProperty('If-None-Match');
    expect(JSON.parse(String(init.body))).toEqual(INPUT);
  });

  test('creates a new widget after checking it does not exist, without If-Match; 201 is "created"', async () => {
    const { api, call, fetch } = client((_url, init) => (init.method === 'PUT' ? json(201, { ...DOCUMENT, revision: 1 }) : json(404, { error: 'not found' })));
    await expect(api.save('shop 1', INPUT, null)).resolves.toMatchObject({ outcome: 'created', document: { revision: 1 } });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(call(0)[1].method).toBe('GET');
    const headers = call(1)[1].headers;
    expect(call(1)[1].method).toBe('PUT');
    expect(headers).toMatchObject({ 'If-None-Match': '*' });
    expect(headers).not.toHaveProperty('If-Match');
  });

  test('creating a widget that exists meanwhile is STALE_REVISION with its revision, and nothing is sent to replace it', async () => {
    const { api, fetch } = client(() => json(200, { ...DOCUMENT, revision: 7 }));
    const error = await api.save('shop 1', INPUT, null).catch((e: unknown) => e);
    expect(isDashboardError(error, 'STALE_REVISION')).toBe(true);
    expect((error as { revision: number }).revision).toBe(7);
    expect(fetch.mock.calls.map(([, init]) => init?.method)).toEqual(['GET']);
  });

  test('a 412 is STALE_REVISION with the stored revision, and the editor says someone else saved', async () => {
    const { api } = client(() => json(412, { error: 'stale revision', revision: 5 }));
    const error = await api.save('shop 1', INPUT, 3).catch((e: unknown) => e);
    expect(isDashboardError(error, 'STALE_REVISION')).toBe(true);
    expect((error as { revision: number }).revision).toBe(5);
    expect(saveFailure(error, false)).toEqual({ status: 'stale', revision: 5 });
  });

  test('a 400 carries the collector’s problems, and the editor shows them at their fields', async () => {
    const problems = [{ path: 'content.greeting', message: 'greeting must not be empty' }];
    const { api } = client(() => json(400, { error: 'invalid widget document', problems: [...problems, { path: 3 }, 'junk'] }));
    const error = await api.save('shop 1', INPUT, 3).catch((e: unknown) => e);
    expect(isDashboardError(error, 'BAD_REQUEST')).toBe(true);
    expect((error as { problems: unknown }).problems).toEqual(problems);
    expect(saveFailure(error, false)).toEqual({ status: 'invalid', problems });
  });

  test('a 404 on save says the key may not create that id (new widget) or no longer sees the widget', async () => {
    const { api } = client(() => json(404, { error: 'unknown widget' }));
    const error = await api.save('theirs', INPUT, null).catch((e: unknown) => e);
    expect(saveFailure(error, true)).toMatchObject({ status: 'failed', message: expect.stringContaining('may not create a widget with this id') });
    expect(saveFailure(error, false)).toMatchObject({ status: 'failed', message: expect.stringContaining('no longer see') });
  });

  test('a save that never gets an answer rejects with TIMEOUT after the deadline', async () => {
    vi.useFakeTimers();
    const hang = (_url: URL, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { api } = client(hang, 15_000);
    const outcome = api.save('shop 1', INPUT, 3).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(isDashboardError(await Promise.race([outcome, Promise.resolve('pending')]), 'TIMEOUT')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(isDashboardError(error, 'TIMEOUT')).toBe(true);
    expect(saveFailure(error, false)).toEqual({ status: 'failed', message: 'The collector took too long to answer. Try again in a moment.' });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a save answering webhookSecret hands it over apart: the document never carries it', async () => {
    const { api } = client(() => json(200, { ...DOCUMENT, revision: 4, webhookUrl: 'https://bot.example/hook', webhookSecret: 'whsec_abc' }));
    const saved = await api.save('shop 1', INPUT, 3);
    expect(saved.webhookSecret).toBe('whsec_abc');
    expect('webhookSecret' in saved.document).toBe(false);
    expect((saved.document as unknown as { webhookUrl: string }).webhookUrl).toBe('https://bot.example/hook');
  });

  test('rotates the webhook secret with POST …/webhook/secret', async () => {
    const { api, call } = client(() => json(200, { secret: 'whsec_new' }));
    await expect(api.rotateWebhookSecret('shop 1')).resolves.toBe('whsec_new');
    const [url, init] = call(0);
    expect(String(url)).toBe('http://collector.test/api/widgets/shop%201/webhook/secret');
    expect(init.method).toBe('POST');
    const empty = client(() => json(200, {}));
    expect(isDashboardError(await empty.api.rotateWebhookSecret('shop').catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
  });
});
