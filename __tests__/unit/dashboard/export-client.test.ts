import { afterEach, describe, expect, test, vi } from 'vitest';
import { isDashboardError } from '../../../components/dashboard/api/dashboard-error';
import { downloadExport } from '../../../components/dashboard/api/export-client';
import type { ExportRequest } from '../../../components/dashboard/api/export-client';

const KEY = 'k_live_0123456789abcdef';
const REQUEST: ExportRequest = { widgetId: 'shop 1', table: 'sessions', format: 'ndjson', from: '2026-11-01', to: '2026-11-30' };

function fetchAnswering(answer: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(new URL(String(input)), init ?? {})));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the dashboard export download', () => {
  test('sends the key in the Authorization header only, and answers the body as a Blob with the collector’s file name', async () => {
    const fetch = fetchAnswering(
      () => new Response('{"a":1}\n', { status: 200, headers: { 'content-type': 'application/x-ndjson', 'content-disposition': 'attachment; filename="shop-sessions.ndjson"' } }),
    );
    const download = await downloadExport({ apiKey: KEY, baseUrl: 'http://collector.test', fetch }, REQUEST);
    expect(download.filename).toBe('shop-sessions.ndjson');
    expect(await download.blob.text()).toBe('{"a":1}\n');
    const [url, init] = fetch.mock.calls[0] as [URL, RequestInit];
    expect(String(url)).toBe('http://collector.test/api/widgets/shop%201/export?from=2026-11-01&to=2026-11-30&table=sessions&format=ndjson');
    expect(String(url)).not.toContain(KEY);
    expect(init.headers).toEqual({ Authorization: `Bearer ${KEY}` });
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
  });

  test('names the file itself when the answer does not', async () => {
    const fetch = fetchAnswering(() => new Response('x', { status: 200 }));
    const download = await downloadExport({ apiKey: KEY, baseUrl: 'http://collector.test', fetch }, REQUEST);
    expect(download.filename).toBe('shop 1-sessions-2026-11-01-2026-11-30.ndjson');
  });

  test('rejects with the collector’s refusal: 401 UNAUTHORIZED, 404 NOT_FOUND, 400 BAD_REQUEST with its reason', async () => {
    const refusal = (status: number, error: string) => fetchAnswering(() => new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json' } }));
    const failure = (fetch: ReturnType<typeof refusal>) => downloadExport({ apiKey: KEY, baseUrl: 'http://collector.test', fetch }, REQUEST).catch((error: unknown) => error);
    expect(isDashboardError(await failure(refusal(401, 'unknown API key')), 'UNAUTHORIZED')).toBe(true);
    expect(isDashboardError(await failure(refusal(404, 'not found')), 'NOT_FOUND')).toBe(true);
    const bad = await failure(refusal(400, 'bad query: table: must be one of events, sessions'));
    expect(isDashboardError(bad, 'BAD_REQUEST')).toBe(true);
    expect((bad as Error).message).toBe('bad query: table: must be one of events, sessions');
  });

  test('rejects with TIMEOUT when the download outlasts its deadline', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(
      (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const pending = downloadExport({ apiKey: KEY, baseUrl: 'http://collector.test', fetch, timeoutMs: 1_000 }, REQUEST).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(isDashboardError(await pending, 'TIMEOUT')).toBe(true);
  });
});
