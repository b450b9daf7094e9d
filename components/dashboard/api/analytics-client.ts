import type {
  ActiveSessions,
  AnalyticsSummary,
  AnalyticsTrends,
  DeviceBreakdown,
  TopEvents,
  TrafficSources,
} from '../../../lib/protocol/analytics-api';
import type { DashboardCredentials } from './credentials';
import { DashboardError, DashboardErrorCode } from './dashboard-error';
import type { DayRangeQuery } from './date-range';

/** Options of {@link createAnalyticsClient}. */
export interface AnalyticsClientOptions extends DashboardCredentials {
  /**
   * Origin (and path prefix, if any) of the collector.
   * @default location.origin (the collector serves the dashboard)
   */
  baseUrl?: string;
  /**
   * The fetch to use.
   * @default globalThis.fetch, read at call time
   */
  fetch?: typeof fetch;
  /**
   * Deadline of one request, answer body included (ms): past it the request is aborted and
   * rejects with `TIMEOUT`.
   * @default 15000
   */
  timeoutMs?: number;
}

/** Defaults of {@link AnalyticsClientOptions}. */
export const DEFAULT_ANALYTICS_CLIENT_OPTIONS = Object.freeze({ timeoutMs: 15_000 });

/** The read API of one widget, each call abortable. */
export interface AnalyticsClient {
  summary(range: DayRangeQuery, signal?: AbortSignal): Promise<AnalyticsSummary>;
  trends(range: DayRangeQuery, signal?: AbortSignal): Promise<AnalyticsTrends>;
  topEvents(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<TopEvents>;
  devices(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<DeviceBreakdown>;
  trafficSources(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<TrafficSources>;
  active(query: { minutes: number }, signal?: AbortSignal): Promise<ActiveSessions>;
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** The `error` of a `{ error }` answer, if the body is one. */
async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : response.statusText;
  } catch {
    return response.statusText;
  }
}

/** Maps a non-2xx answer to its {@link DashboardError}. */
async function toError(response: Response): Promise<DashboardError> {
  const status = response.status;
  const text = await errorText(response);
  if (status === 401) return new DashboardError(DashboardErrorCode.UNAUTHORIZED, text, { status });
  if (status === 404) return new DashboardError(DashboardErrorCode.NOT_FOUND, text, { status });
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new DashboardError(DashboardErrorCode.BAD_REQUEST, text, { status });
  }
  return new DashboardError(DashboardErrorCode.UNAVAILABLE, text, { status });
}

/**
 * A client of `GET /api/analytics/widget/:widgetId/…` with the key as a bearer token.
 *
 * 1. Every call sends `Authorization: Bearer <key>` and nothing else that identifies the user
 *    (no cookies: `credentials: 'omit'`), and never caches (`cache: 'no-store'`).
 * 2. An abort rejects with the signal's reason, untouched, so callers can ignore it.
 * 3. Every request has a deadline (`timeoutMs`, answer body included): past it the request
 *    is aborted and rejects with `TIMEOUT`.
 * 4. Anything else rejects with a {@link DashboardError}: 401 `UNAUTHORIZED`, 404
 *    `NOT_FOUND`, other 4xx `BAD_REQUEST`, 408/429/5xx `UNAVAILABLE`, no answer `NETWORK`,
 *    an answer that is not a JSON object `INVALID_RESPONSE`.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions): AnalyticsClient {
  const base = `/api/analytics/widget/${encodeURIComponent(options.widgetId)}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANALYTICS_CLIENT_OPTIONS.timeoutMs;

  /** One request under its deadline: a timer (fakeable in tests) aborts it; the caller's signal too. */
  async function get<T>(path: string, query: object, signal: AbortSignal | undefined): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return await request<T>(path, query, signal, signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
    } catch (error) {
      if (deadline.signal.aborted && !signal?.aborted) {
        throw new DashboardError(DashboardErrorCode.TIMEOUT, `no answer within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function request<T>(path: string, query: object, signal: AbortSignal | undefined, combined: AbortSignal): Promise<T> {
    // fetch() throws on a header with non-ASCII text; such a key cannot be valid anyway.
    if (!PRINTABLE_ASCII.test(options.apiKey)) throw new DashboardError(DashboardErrorCode.UNAUTHORIZED, 'the key has characters no API key has');
    const url = new URL(base + path, options.baseUrl ?? location.origin);
    for (const [name, value] of Object.entries(query) as [string, unknown][]) {
      if (typeof value === 'string' || typeof value === 'number') url.searchParams.set(name, String(value));
    }
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
        signal: combined,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new DashboardError(DashboardErrorCode.NETWORK, 'no answer from the collector', { cause: error });
    }
    if (!response.ok) throw await toError(response);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer is not JSON', { status: response.status, cause: error });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer is not a JSON object', { status: response.status });
    }
    return body as T;
  }

  return {
    summary: (range, signal) => get('summary', range, signal),
    trends: (range, signal) => get('trends', range, signal),
    topEvents: (query, signal) => get('events', query, signal),
    devices: (query, signal) => get('devices', query, signal),
    trafficSources: (query, signal) => get('traffic-sources', query, signal),
    active: (query, signal) => get('active', query, signal),
  };
}
