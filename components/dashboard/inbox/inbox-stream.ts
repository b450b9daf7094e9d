import { STREAM_HEARTBEAT_SECONDS } from '../../../lib/protocol/conversations';
import type { ConversationMessage, ConversationStatus } from '../../../lib/protocol/conversations';
import { isConversationMessage } from '../api/conversations-client';
import { DashboardError, DashboardErrorCode } from '../api/dashboard-error';
import { DEFAULT_API_CLIENT_OPTIONS } from '../api/http';
import { createSseParser } from '../../../lib/util/sse-parser';

/** A conversation closed or reopened, as the inbox stream says it. */
export interface StatusChange {
  conversationId: string;
  status: ConversationStatus;
}

/** Where the stream stands: `connecting` (first try or a retry), `open` (events flow), `down` (waiting to retry). */
export type StreamState = 'connecting' | 'open' | 'down';

/** Defaults of {@link InboxStreamOptions}. */
export const DEFAULT_INBOX_STREAM_OPTIONS = Object.freeze({
  /** Deadline for the answer's headers, as every other request of the dashboard. @default 15000 */
  connectTimeoutMs: DEFAULT_API_CLIENT_OPTIONS.timeoutMs,
  /** Silence (not even a `: ping`) after which the stream is taken for dead. @default 30000 (2 × STREAM_HEARTBEAT_SECONDS) */
  silenceMs: 2 * STREAM_HEARTBEAT_SECONDS * 1000,
  /** First wait before reconnecting. @default 1000 */
  retryInitialMs: 1000,
  /** Longest wait before reconnecting. @default 30000 */
  retryMaxMs: 30_000,
  /** @default 2 */
  retryMultiplier: 2,
});

/** Options of {@link openInboxStream}. */
export interface InboxStreamOptions {
  apiKey: string;
  widgetId: string;
  /** @default location.origin */
  baseUrl?: string;
  /** @default globalThis.fetch, read at call time */
  fetch?: typeof fetch;
  connectTimeoutMs?: number;
  silenceMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  retryMultiplier?: number;
  onMessage: (message: ConversationMessage) => void;
  onStatus: (change: StatusChange) => void;
  onState: (state: StreamState) => void;
  /** Every failure to open or keep the stream (the stream retries by itself); a 401 is worth signing out for. */
  onError?: (error: DashboardError) => void;
}

/** A running stream. */
export interface InboxStream {
  /** Closes the connection and stops retrying; no callback runs after it. */
  destroy(): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(status: number): DashboardError {
  if (status === 401) return new DashboardError(DashboardErrorCode.UNAUTHORIZED, 'the key was refused', { status });
  if (status === 404) return new DashboardError(DashboardErrorCode.NOT_FOUND, 'no conversation stream for this widget', { status });
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return new DashboardError(DashboardErrorCode.BAD_REQUEST, `HTTP ${status}`, { status });
  return new DashboardError(DashboardErrorCode.UNAVAILABLE, `HTTP ${status}`, { status });
}

/**
 * Reads `GET /api/widgets/:widgetId/conversations/events` with `fetch` streaming (the key
 * rides in the `Authorization` header, which `EventSource` cannot send).
 *
 * 1. The answer's headers must come within `connectTimeoutMs`; then every chunk (events and
 *    `: ping` comments alike) re-arms a watchdog of `silenceMs`: a stream silent for longer
 *    is dead (a proxy that holds it open, a laptop that slept) and is dropped.
 * 2. `message` events carry a {@link ConversationMessage}, `status` events
 *    `{ conversationId, status }`; anything that does not parse is dropped.
 * 3. A refused, failed, ended or dead stream is opened again after a backoff
 *    (`retryInitialMs` × `retryMultiplier`ⁿ, at most `retryMaxMs`), reset once a stream opens.
 *    The agent stream has no resume point, so the owner catches up (reloads) on each `open`.
 * Timers and fetch are read at call time (fake timers work).
 */
export function openInboxStream(options: InboxStreamOptions): InboxStream {
  const settings: Record<keyof typeof DEFAULT_INBOX_STREAM_OPTIONS, number> = { ...DEFAULT_INBOX_STREAM_OPTIONS };
  for (const key of Object.keys(DEFAULT_INBOX_STREAM_OPTIONS) as (keyof typeof DEFAULT_INBOX_STREAM_OPTIONS)[]) {
    const value = options[key];
    if (value !== undefined) settings[key] = value;
  }
  const url = new URL(`/api/widgets/${encodeURIComponent(options.widgetId)}/conversations/events`, options.baseUrl ?? location.origin);
  let stopped = false;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const dispatch = (type: string, data: string): void => {
    const body = parseJson(data);
    if (type === 'message' && isConversationMessage(body)) options.onMessage(body);
    else if (type === 'status' && isRecord(body) && typeof body.conversationId === 'string' && (body.status === 'open' || body.status === 'closed')) {
      options.onStatus({ conversationId: body.conversationId, status: body.status });
    }
  };

  /** One connection, until it ends; rejects with why it ended. */
  async function connect(own: AbortController): Promise<void> {
    const deadline = setTimeout(() => own.abort(new DashboardError(DashboardErrorCode.TIMEOUT, `no answer within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs);
    let response: Response;
    try {
      response = await (options.fetch ?? globalThis.fetch)(url, {
        headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'text/event-stream' },
        credentials: 'omit',
        cache: 'no-store',
        signal: own.signal,
      });
    } catch (error) {
      throw own.signal.reason instanceof DashboardError ? own.signal.reason : new DashboardError(DashboardErrorCode.NETWORK, 'no answer from the collector', { cause: error });
    } finally {
      clearTimeout(deadline);
    }
    if (!response.ok) throw errorOf(response.status);
    if (response.body === null || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer is not an event stream', { status: response.status });
    }

    failures = 0;
    options.onState('open');
    const reader = response.body.getReader();
    // An abort (watchdog, destroy) ends the pending read too, whatever fetch does with the body.
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    own.signal.addEventListener('abort', cancel, { once: true });
    const decoder = new TextDecoder();
    const parser = createSseParser((event) => dispatch(event.type, event.data));
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => own.abort(new DashboardError(DashboardErrorCode.TIMEOUT, `the stream was silent for ${settings.silenceMs} ms`)), settings.silenceMs);
    };
    arm();
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) throw new DashboardError(DashboardErrorCode.NETWORK, 'the stream ended');
        if (stopped) return;
        arm();
        parser.push(decoder.decode(chunk.value, { stream: true }));
      }
    } catch (error) {
      throw own.signal.reason instanceof DashboardError ? own.signal.reason : error;
    } finally {
      clearTimeout(watchdog);
      own.signal.removeEventListener('abort', cancel);
      cancel();
    }
  }

  const run = (): void => {
    if (stopped) return;
    const own = new AbortController();
    controller = own;
    options.onState('connecting');
    connect(own).then(
      () => undefined,
      (error: unknown) => {
        own.abort();
        if (stopped) return;
        options.onError?.(error instanceof DashboardError ? error : new DashboardError(DashboardErrorCode.NETWORK, 'the stream failed', { cause: error }));
        options.onState('down');
        const wait = Math.min(settings.retryMaxMs, settings.retryInitialMs * settings.retryMultiplier ** failures);
        failures += 1;
        retryTimer = setTimeout(run, wait);
      },
    );
  };

  run();
  return {
    destroy() {
      stopped = true;
      clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}
