import { CONVERSATION_SECRET_HEADER } from '../../protocol/conversations';
import type { ConversationMessage, MessagePage, PostMessage, StartConversation } from '../../protocol/conversations';
import { parseMessage, parsePage, StartedConversationSchema } from './answers';

/** What one request came to: a checked answer, a status (4xx/5xx, or a 2xx that did not parse), or no answer at all. */
export type ApiResult<T> = { kind: 'ok'; value: T } | { kind: 'status'; status: number; error: string | null } | { kind: 'network' };

export interface ConversationApiOptions {
  collectorUrl: string;
  fetch: typeof fetch;
  /** Deadline of one request, body included, in ms (a long poll adds its `wait`). */
  requestTimeoutMs: number;
}

export interface ConversationApi {
  start(body: StartConversation, signal: AbortSignal): Promise<ApiResult<{ conversationId: string; secret: string }>>;
  post(conversationId: string, secret: string, message: PostMessage, signal: AbortSignal): Promise<ApiResult<ConversationMessage>>;
  /** `GET …/messages?after=&wait=`: the long poll with `wait` > 0. */
  page(conversationId: string, secret: string, after: number, waitSeconds: number, signal: AbortSignal): Promise<ApiResult<MessagePage>>;
  /** `GET …/events` with `Last-Event-ID`; the response is handed over unread (no deadline on a stream: the reader watches it). */
  stream(conversationId: string, secret: string, after: number, signal: AbortSignal): Promise<Response | null>;
}

/** `signal` and a deadline of `timeoutMs`, as one signal; `clear` drops the timer. A timer, not `AbortSignal.timeout`: fake timers drive it. */
function deadline(signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    },
  };
}

/** The visitor's side of the conversation API (docs/WIDGET.md, "The conversation"). Never rejects but for `stream` when aborted. */
export function createConversationApi(options: ConversationApiOptions): ConversationApi {
  const base = `${options.collectorUrl.replace(/\/+$/, '')}/api/conversations`;

  async function request<T>(
    method: 'GET' | 'POST',
    url: string,
    init: { secret?: string; body?: unknown; signal: AbortSignal; extraMs?: number },
    parse: (value: unknown) => T | null,
  ): Promise<ApiResult<T>> {
    const limit = deadline(init.signal, options.requestTimeoutMs + (init.extraMs ?? 0));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.secret !== undefined) headers[CONVERSATION_SECRET_HEADER] = init.secret;
    try {
      const response = await options.fetch(url, {
        method,
        headers,
        credentials: 'omit',
        signal: limit.signal,
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
      const body: unknown = await response.json().catch(() => undefined);
      const error = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : null;
      if (!response.ok) return { kind: 'status', status: response.status, error };
      const value = parse(body);
      // A 2xx that does not parse is treated as a server fault: retried like a 5xx.
      return value === null ? { kind: 'status', status: 502, error: 'unreadable answer' } : { kind: 'ok', value };
    } catch {
      return { kind: 'network' };
    } finally {
      limit.clear();
    }
  }

  const conversationUrl = (id: string): string => `${base}/${encodeURIComponent(id)}`;

  return {
    start: (body, signal) =>
      request('POST', base, { body, signal }, (value) => {
        const parsed = StartedConversationSchema.safeParse(value);
        return parsed.success ? { conversationId: parsed.data.conversation.id, secret: parsed.data.secret } : null;
      }),
    post: (id, secret, message, signal) => request('POST', `${conversationUrl(id)}/messages`, { secret, body: message, signal }, parseMessage),
    page: (id, secret, after, waitSeconds, signal) =>
      request('GET', `${conversationUrl(id)}/messages?after=${after}&wait=${waitSeconds}`, { secret, signal, extraMs: waitSeconds * 1000 }, parsePage),
    async stream(id, secret, after, signal) {
      const headers: Record<string, string> = { Accept: 'text/event-stream', [CONVERSATION_SECRET_HEADER]: secret };
      if (after > 0) headers['Last-Event-ID'] = String(after);
      try {
        return await options.fetch(`${conversationUrl(id)}/events`, { headers, credentials: 'omit', signal, cache: 'no-store' });
      } catch {
        return null;
      }
    },
  };
}
