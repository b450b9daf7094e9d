import type { ConversationMessage, MessageAuthor } from '../../../lib/protocol/conversations';
import { CONVERSATION_SECRET_HEADER } from '../../../lib/protocol/conversations';

/**
 * The visitor routes of the collector, in memory, behind a `fetch`: what the contract says
 * they do (docs/WIDGET.md), with switches for the faults the client must survive. Its waits
 * are `setTimeout`s, so fake timers drive them.
 */
export function createFakeCollector() {
  const conversations = new Map<string, { secret: string; messages: ConversationMessage[] }>();
  const streams = new Set<{ conversationId: string; push: (text: string) => void; close: () => void }>();
  const waiters = new Set<() => void>();
  const requests: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = [];
  const faults: ('network' | number)[] = [];
  const state = {
    /** How `GET …/events` answers: a live stream, no answer at all, or JSON instead of a stream. */
    events: 'stream' as 'stream' | 'network' | 'not-stream',
    /** Streams send nothing at all (no heartbeat): a dead connection. */
    silent: false,
    /** Ids that `POST /api/conversations` reports as taken. */
    taken: new Set<string>(),
    offline: false,
  };
  let secrets = 0;

  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const notFound = (): Response => json(404, { error: 'not found' });
  const frame = (message: ConversationMessage): string => `event: message\nid: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;

  const add = (conversationId: string, id: string, text: string, author: MessageAuthor): ConversationMessage => {
    const conversation = conversations.get(conversationId);
    if (!conversation) throw new Error(`no conversation ${conversationId}`);
    const message: ConversationMessage = { id, conversationId, author, text, createdAt: Date.now(), seq: conversation.messages.length + 1 };
    conversation.messages.push(message);
    for (const stream of streams) if (stream.conversationId === conversationId && !state.silent) stream.push(frame(message));
    for (const wake of [...waiters]) wake();
    return message;
  };

  async function handle(url: URL, init: RequestInit): Promise<Response> {
    const method = init.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, path: url.pathname + url.search, headers, body });
    const fault = method === 'POST' ? faults.shift() : undefined;
    if (state.offline || fault === 'network') throw new TypeError('Failed to fetch');
    if (typeof fault === 'number') return json(fault, { error: 'fault' });
    const parts = url.pathname.split('/').filter(Boolean); // api, conversations, :id, what
    if (method === 'POST' && parts.length === 2) {
      const { id } = body as { id: string };
      if (state.taken.has(id) || conversations.has(id)) return json(409, { error: 'conversation_exists' });
      const secret = `secret-${++secrets}`;
      conversations.set(id, { secret, messages: [] });
      return json(201, { conversation: { id }, secret });
    }
    const conversationId = decodeURIComponent(parts[2] ?? '');
    const conversation = conversations.get(conversationId);
    if (!conversation || headers[CONVERSATION_SECRET_HEADER.toLowerCase()] !== conversation.secret) return notFound();
    if (method === 'POST' && parts[3] === 'messages') {
      const { id, text } = body as { id: string; text: string };
      const known = conversation.messages.find((message) => message.id === id);
      if (known) return known.text === text ? json(200, known) : json(409, { error: 'message_exists' });
      return json(201, add(conversationId, id, text, 'visitor'));
    }
    if (method === 'GET' && parts[3] === 'messages') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const wait = Number(url.searchParams.get('wait') ?? 0);
      const page = () => {
        const messages = conversation.messages.filter((message) => message.seq > after).slice(0, 100);
        return { messages, next: messages.at(-1)?.seq ?? after, more: false, status: 'open' };
      };
      if (page().messages.length === 0 && wait > 0) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, wait * 1000);
          waiters.add(wake);
          init.signal?.addEventListener('abort', wake);
        });
        if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      }
      return json(200, page());
    }
    if (method === 'GET' && parts[3] === 'events') {
      if (state.events === 'network') throw new TypeError('Failed to fetch');
      if (state.events === 'not-stream') return json(200, { messages: [] });
      const after = Number(headers['last-event-id'] ?? url.searchParams.get('after') ?? 0);
      const encoder = new TextEncoder();
      let entry: { conversationId: string; push: (text: string) => void; close: () => void } | null = null;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          entry = {
            conversationId,
            push: (text) => controller.enqueue(encoder.encode(text)),
            close: () => {
              streams.delete(entry!);
              try {
                controller.close();
              } catch {
                // Already closed.
              }
            },
          };
          streams.add(entry);
          if (!state.silent) {
            controller.enqueue(encoder.encode(': ping\n\n'));
            for (const message of conversation.messages) if (message.seq > after) entry.push(frame(message));
          }
          init.signal?.addEventListener('abort', () => {
            streams.delete(entry!);
            try {
              controller.error(new DOMException('aborted', 'AbortError'));
            } catch {
              // Already closed.
            }
          });
        },
        cancel() {
          streams.delete(entry!);
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    return notFound();
  }

  const fetch: typeof globalThis.fetch = (input, init = {}) => handle(new URL(String(input)), init);

  return {
    fetch,
    state,
    requests,
    conversations,
    /** The next POST requests fail so, in order (reads have their own switches in `state`). */
    fail: (...next: ('network' | number)[]) => faults.push(...next),
    reply: (conversationId: string, text: string, author: MessageAuthor = 'agent', id = `r-${text}`) => add(conversationId, id, text, author),
    openStreams: () => streams.size,
    /** Ends every open stream, as a restarting collector does. */
    closeStreams: () => {
      for (const stream of [...streams]) stream.close();
    },
    /** Pushes a heartbeat into every open stream. */
    ping: () => {
      for (const stream of streams) stream.push(': ping\n\n');
    },
  };
}
