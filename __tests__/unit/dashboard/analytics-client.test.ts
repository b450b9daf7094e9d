import { describe, expect, test, vi } from 'vitest';
import { createAnalyticsClient } from '../../../components/dashboard/api/analytics-client';
import { isDashboardError } from '../../../components/dashboard/api/dashboard-error';

const RANGE = { from: '2026-11-01', to: '2026-11-26' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(answer: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(new URL(String(input)), init ?? {})));
  return { fetch, api: createAnalyticsClient({ widgetId: 'shop 1', apiKey: 'k_live_0123456789abcdef', baseUrl: 'http://collector.test', fetch }) };
}

describe('the dashboard analytics client', () => {
  test('sends the key as a bearer token, without cookies or caching, to the widget’s route with the range', async () => {
    const { fetch, api } = client(() => json(200, { widgetId: 'shop 1', sessions: 3 }));
    await expect(api.summary(RANGE)).resolves.toEqual({ widgetId: 'shop 1', sessions: 3 });
    const [url, init] = fetch.mock.calls[0] as [URL, RequestInit];
    expect(String(url)).toBe('http://collector.test/api/analytics/widget/shop%201/summary?from=2026-11-01&to=2026-11-26');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer k_live_0123456789abcdef' });
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
  });

  test.each([
    [401, 'UNAUTHORIZED'],
    [404, 'NOT_FOUND'],
    [400, 'BAD_REQUEST'],
    [429, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
  ] as const)('rejects a %i answer with %s and the collector’s reason', async (status, code) => {
    const { api } = client(() => json(status, { error: `reason ${status}` }));
    const error = await api.trends(RANGE).catch((e: unknown) => e);
    expect(isDashboardError(error, code)).toBe(true);
    expect((error as Error).message).toBe(`reason ${status}`);
  });

  test('rejects with NETWORK when no answer comes, and INVALID_RESPONSE for an answer that is not a JSON object', async () => {
    const offline = client(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(isDashboardError(await offline.api.active({ minutes: 5 }).catch((e: unknown) => e), 'NETWORK')).toBe(true);
    const html = client(() => new Response('<html>', { status: 200 }));
    expect(isDashboardError(await html.api.devices({ ...RANGE, limit: 5 }).catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
    const list = client(() => json(200, [1, 2]));
    expect(isDashboardError(await list.api.topEvents({ ...RANGE, limit: 5 }).catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
  });

  test('an abort rejects with the signal’s own reason, not a DashboardError', async () => {
    const controller = new AbortController();
    const { api } = client((_url, init) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    const pending = api.trafficSources({ ...RANGE, limit: 5 }, controller.signal);
    const reason = new Error('range changed');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  test('refuses a key with characters no API key has, without sending it', async () => {
    const fetch = vi.fn();
    const api = createAnalyticsClient({ widgetId: 'demo', apiKey: 'clé secrète', baseUrl: 'http://collector.test', fetch });
    expect(isDashboardError(await api.summary(RANGE).catch((e: unknown) => e), 'UNAUTHORIZED')).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });
});
