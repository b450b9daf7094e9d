/** What one config request came to. */
export type ConfigResponse =
  | { kind: 'fresh'; etag: string | null; body: unknown }
  | { kind: 'not-modified' }
  | { kind: 'unregistered' }
  | { kind: 'unavailable'; reason: 'network' | 'deadline' | 'status'; detail: string };

export interface ConfigRequest {
  url: string;
  /** The cached copy's ETag; `null`: an unconditional request. */
  etag: string | null;
  timeoutMs: number;
  /** Aborts the request (the loader's `destroy()`). */
  signal: AbortSignal;
  fetch: typeof fetch;
}

/** `<collectorUrl>/api/widgets/<widgetId>/config`, with or without a trailing slash on the collector's URL. */
export function configUrl(collectorUrl: string, widgetId: string): string {
  return `${collectorUrl.replace(/\/+$/, '')}/api/widgets/${encodeURIComponent(widgetId)}/config`;
}

/**
 * 1. GET the config, with `If-None-Match` when a cached copy exists.
 * 2. The deadline covers the whole exchange, body included: a collector that takes the
 *    connection and never answers cannot hold the widget's content.
 * 3. 200 with a JSON body → `fresh`; 304 → `not-modified`; 404 → `unregistered`;
 *    anything else (network error, deadline, 5xx, other statuses) → `unavailable`. A 200
 *    whose body is not JSON is `fresh` with an `undefined` body: the schema refuses it.
 *    Never rejects.
 */
export async function requestConfig(request: ConfigRequest): Promise<ConfigResponse> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  // A timer, not AbortSignal.timeout: time stays injectable (fake timers drive it in tests).
  const timer = setTimeout(abort, request.timeoutMs);
  request.signal.addEventListener('abort', abort);
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.etag !== null) headers['If-None-Match'] = request.etag;
    const response = await request.fetch(request.url, { headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
    if (response.status === 304) return { kind: 'not-modified' };
    if (response.status === 404) return { kind: 'unregistered' };
    if (response.status !== 200) return { kind: 'unavailable', reason: 'status', detail: `status ${response.status}` };
    const etag = response.headers.get('ETag');
    try {
      return { kind: 'fresh', etag, body: (await response.json()) as unknown };
    } catch (error) {
      // Cut off by the deadline: unavailable. Not JSON: a config that fails the schema.
      if (controller.signal.aborted) throw error;
      return { kind: 'fresh', etag, body: undefined };
    }
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'unavailable', reason: 'deadline', detail: 'deadline passed or destroyed' };
    // A refused CORS preflight looks the same as a network error from here.
    return { kind: 'unavailable', reason: 'network', detail: String(error) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', abort);
  }
}
