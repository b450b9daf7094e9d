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

  test('reads the offers report of the range', async () => {
    const report = { widgetId: 'shop 1', ...RANGE, offers: [{ offerId: 'o', buttonVariantId: 'default', shown: 4, clicked: 1, clickThroughRate: 0.25 }] };
    const { fetch, api } = client(() => json(200, report));
    await expect(api.offers(RANGE)).resolves.toEqual(report);
    expect(String((fetch.mock.calls[0] as [URL])[0])).toBe('http://collector.test/api/analytics/widget/shop%201/offers?from=2026-11-01&to=2026-11-26');
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

  describe('deadline', () => {
    const hang = (_url: URL, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

    test('rejects with TIMEOUT when the collector never answers, after timeoutMs and not before', async () => {
      vi.useFakeTimers();
      try {
        const fetch = vi.fn((_input: RequestInfo | URL, init?: RequestInit) => hang(new URL('http://x'), init ?? {}));
        const api = createAnalyticsClient({ widgetId: 'demo', apiKey: 'k_live_0123456789abcdef', baseUrl: 'http://collector.test', fetch, timeoutMs: 1000 });
        const outcome = api.summary(RANGE).catch((e: unknown) => e);
        await vi.advanceTimersByTimeAsync(999);
        expect(fetch.mock.calls[0]?.[1]?.signal?.aborted).toBe(false);
        await vi.advanceTimersByTimeAsync(1);
        expect(isDashboardError(await outcome, 'TIMEOUT')).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });

    test('rejects with TIMEOUT when the headers come but the body stalls', async () => {
      vi.useFakeTimers();
      try {
        const stalled = (_url: URL, init: RequestInit) => {
          const body = new ReadableStream({
            start(controller) {
              init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
            },
          });
          return new Response(body, { status: 200 });
        };
        const { api } = client(stalled);
        const outcome = api.trends(RANGE).catch((e: unknown) => e);
        await vi.advanceTimersByTimeAsync(15_000);
        expect(isDashboardError(await outcome, 'TIMEOUT')).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });

    test('leaves no timer behind once answered, and a caller’s abort is still its own reason', async () => {
      vi.useFakeTimers();
      try {
        const { api } = client(() => json(200, { ok: 1 }));
        await api.summary(RANGE);
        expect(vi.getTimerCount()).toBe(0);
        const controller = new AbortController();
        const pending = client(hang).api.summary(RANGE, controller.signal);
        const reason = new Error('range changed');
        controller.abort(reason);
        await expect(pending).rejects.toBe(reason);
        expect(vi.getTimerCount()).toBe(0);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
