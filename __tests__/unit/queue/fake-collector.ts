import { vi } from 'vitest';

type Batch = { widgetId: string; events: { id: string }[] };
type Reply = number | { status: number; retryAfter?: string; body?: unknown } | 'network' | ((batch: Batch) => unknown);

/**
 * A fake `fetch` standing in for the collector: it records every request and answers with
 * the next scripted reply (a status, with a body other than `{ error: 'scripted' }` if
 * given, a network error, or a function building a 200 body);
 * once the script is used up it accepts everything, reporting ids it has seen as duplicates.
 */
export function fakeCollector(script: Reply[] = []) {
  const stored = new Set<string>();
  const requests: { url: string; batch: Batch; keepalive: boolean }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const batch = JSON.parse(String(init.body)) as Batch;
    requests.push({ url, batch, keepalive: init.keepalive === true });
    const reply = script.shift();
    if (reply === 'network') throw new TypeError('Failed to fetch');
    const accept = (): unknown => {
      const accepted: string[] = [];
      const duplicates: string[] = [];
      for (const { id } of batch.events) (stored.has(id) ? duplicates : accepted).push(id);
      for (const id of accepted) stored.add(id);
      return { accepted, duplicates, failed: [] };
    };
    if (typeof reply === 'function') return response(200, reply(batch));
    if (reply === undefined) return response(200, accept());
    const { status, retryAfter, body = { error: 'scripted' } } = typeof reply === 'number' ? { status: reply } : reply;
    return response(status, body, retryAfter);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, stored };
}

function response(status: number, body: unknown, retryAfter?: string): Response {
  const headers = new Headers(retryAfter === undefined ? {} : { 'Retry-After': retryAfter });
  return { status, ok: status >= 200 && status < 300, headers, json: async () => body } as Response;
}

/** A click as `track` would queue it. */
export const click = (n: number) => ({ sessionId: 's1', offerId: `offer-${n}` });
