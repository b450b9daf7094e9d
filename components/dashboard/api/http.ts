import type { DocumentProblem } from '../../../lib/protocol/widget-document';
import { DashboardError, DashboardErrorCode } from './dashboard-error';

/** What every client of the collector's key-protected API takes. */
export interface ApiClientOptions {
  /** The API key, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
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

/** Defaults of {@link ApiClientOptions}. */
export const DEFAULT_API_CLIENT_OPTIONS = Object.freeze({ timeoutMs: 15_000 });

/** One request of {@link ApiRequester}. */
export interface ApiRequest {
  /** @default "GET" */
  method?: 'GET' | 'PUT' | 'POST';
  /** Path below the base URL, already encoded: `/api/widgets/shop%201`. */
  path: string;
  /** Query parameters; only strings and numbers are sent. */
  query?: object;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** A 2xx answer whose body is a JSON object. */
export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends requests to the collector with the key, under the deadline, mapping failures to {@link DashboardError}s. */
export type ApiRequester = <T>(request: ApiRequest) => Promise<ApiAnswer<T>>;

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const NO_CONTENT = 204;

interface ErrorBody {
  error?: unknown;
  problems?: unknown;
  revision?: unknown;
}

async function errorBody(response: Response): Promise<ErrorBody> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as ErrorBody) : {};
  } catch {
    return {};
  }
}

/** The `problems` of a 400, the entries that have the `{ path, message }` shape. */
function problemsOf(value: unknown): DocumentProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const candidate = entry as { path?: unknown; message?: unknown } | null;
    return typeof candidate?.path === 'string' && typeof candidate.message === 'string' ? [{ path: candidate.path, message: candidate.message }] : [];
  });
}

/** Maps a non-2xx answer to its {@link DashboardError}. */
export async function toError(response: Response): Promise<DashboardError> {
  const status = response.status;
  const body = await errorBody(response);
  const text = typeof body.error === 'string' ? body.error : response.statusText;
  if (status === 401) return new DashboardError(DashboardErrorCode.UNAUTHORIZED, text, { status });
  if (status === 404) return new DashboardError(DashboardErrorCode.NOT_FOUND, text, { status });
  if (status === 412) {
    const revision = typeof body.revision === 'number' && Number.isInteger(body.revision) ? body.revision : null;
    return new DashboardError(DashboardErrorCode.STALE_REVISION, text, { status, revision });
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new DashboardError(DashboardErrorCode.BAD_REQUEST, text, { status, problems: problemsOf(body.problems) });
  }
  return new DashboardError(DashboardErrorCode.UNAVAILABLE, text, { status });
}

/**
 * The one way the dashboard talks to the collector's key-protected API.
 *
 * 1. Every call sends `Authorization: Bearer <key>` and nothing else that identifies the user
 *    (no cookies: `credentials: 'omit'`), and never caches (`cache: 'no-store'`).
 * 2. An abort rejects with the signal's reason, untouched, so callers can ignore it.
 * 3. Every request has a deadline (`timeoutMs`, answer body included): past it the request
 *    is aborted and rejects with `TIMEOUT`.
 * 4. Anything else rejects with a {@link DashboardError}: 401 `UNAUTHORIZED`, 404
 *    `NOT_FOUND`, 412 `STALE_REVISION` (with the stored `revision`), other 4xx `BAD_REQUEST`
 *    (with the answer's `problems`, if any), 408/429/5xx `UNAVAILABLE`, no answer `NETWORK`,
 *    an answer that is not a JSON object `INVALID_RESPONSE` (a 204 answers an empty object).
 */
export function createApiRequester(options: ApiClientOptions): ApiRequester {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_CLIENT_OPTIONS.timeoutMs;

  async function send<T>(request: ApiRequest, combined: AbortSignal): Promise<ApiAnswer<T>> {
    const { signal } = request;
    // fetch() throws on a header with non-ASCII text; such a key cannot be valid anyway.
    if (!PRINTABLE_ASCII.test(options.apiKey)) throw new DashboardError(DashboardErrorCode.UNAUTHORIZED, 'the key has characters no API key has');
    const url = new URL(request.path, options.baseUrl ?? location.origin);
    for (const [name, value] of Object.entries(request.query ?? {}) as [string, unknown][]) {
      if (typeof value === 'string' || typeof value === 'number') url.searchParams.set(name, String(value));
    }
    const hasBody = request.body !== undefined;
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          Accept: 'application/json',
          ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
          ...request.headers,
        },
        ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
        signal: combined,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new DashboardError(DashboardErrorCode.NETWORK, 'no answer from the collector', { cause: error });
    }
    if (!response.ok) throw await toError(response);
    // 204 (e.g. marking a conversation read) has no body to parse.
    if (response.status === NO_CONTENT) return { status: response.status, headers: response.headers, body: {} as T };
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
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /** One request under its deadline: a timer (fakeable in tests) aborts it; the caller's signal too. */
  return async function request<T>(request: ApiRequest): Promise<ApiAnswer<T>> {
    const { signal } = request;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return await send<T>(request, signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
    } catch (error) {
      if (deadline.signal.aborted && !signal?.aborted) {
        throw new DashboardError(DashboardErrorCode.TIMEOUT, `no answer within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
