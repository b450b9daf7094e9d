import { randomUUID } from 'node:crypto';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import type { ConversationMessage, StartedConversation } from '../../lib/protocol/conversations';
import { readEvents } from './sse';
import type { SseEvent } from './sse';

/** Deadline of one plain request. */
const REQUEST_DEADLINE_MS = 10_000;

/** The collector answered 404 where a conversation route should be: it does not have them yet. */
export class RoutesMissingError extends Error {
  override name = 'RoutesMissingError';
}

/** A conversation the benchmark started, with the secret the visitor side needs. */
export interface BenchConversation {
  id: string;
  secret: string;
}

/** A visitor's open event stream. */
export interface VisitorStream {
  /** Ends when the stream does (closed, or failed). */
  done: Promise<void>;
  close(): void;
}

async function expectStatus(response: Response, wanted: readonly number[], what: string): Promise<void> {
  if (wanted.includes(response.status)) return;
  const body = await response.text().catch(() => '');
  if (response.status === 404) throw new RoutesMissingError(`${what} answered 404: the collector has no conversation routes yet`);
  throw new Error(`${what} answered ${response.status}: ${body.slice(0, 200)}`);
}

/** The conversation routes of one collector, as the widget (visitor) and the inbox (agent, API key) call them. */
export function conversationApi(baseUrl: string, widgetId: string, apiKey: string) {
  const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

  return {
    /** `POST /api/conversations`, and the visitor's first message (a conversation the team would see). */
    async start(): Promise<BenchConversation> {
      const id = randomUUID();
      const { body, ...headers } = json({ id, widgetId, anonymousId: `bench-${id}` });
      const response = await fetch(`${baseUrl}/api/conversations`, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
      await expectStatus(response, [201], 'POST /api/conversations');
      const started = (await response.json()) as StartedConversation;
      const conversation = { id, secret: started.secret };
      const first = json({ id: randomUUID(), text: 'Hello, is anyone there?' });
      const posted = await fetch(`${baseUrl}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { 'content-type': first['content-type'], [CONVERSATION_SECRET_HEADER]: conversation.secret },
        body: first.body,
        signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
      });
      await expectStatus(posted, [201], 'POST /api/conversations/:id/messages');
      return conversation;
    },

    /** An agent's reply `id` (`POST /api/widgets/:widgetId/conversations/:id/messages`); resolves once answered. */
    async reply(conversation: BenchConversation, id: string, text: string): Promise<void> {
      const { body, ...headers } = json({ id, text });
      const response = await fetch(`${baseUrl}/api/widgets/${widgetId}/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${apiKey}` },
        body,
        signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
      });
      await expectStatus(response, [201], 'POST /api/widgets/:widgetId/conversations/:id/messages');
      await response.arrayBuffer();
    },

    /**
     * Opens the visitor's stream (`GET /api/conversations/:id/events`, the secret in its header,
     * read with `fetch` as the widget does); resolves once the answer's headers are in.
     * `onMessage` gets every `message` event.
     */
    async openStream(conversation: BenchConversation, onMessage: (message: ConversationMessage) => void): Promise<VisitorStream> {
      const controller = new AbortController();
      // A deadline for the headers only (a timeout signal would also cut the stream later).
      const headersDeadline = setTimeout(() => controller.abort(new Error('GET /api/conversations/:id/events: no answer within 10 s')), REQUEST_DEADLINE_MS);
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/conversations/${conversation.id}/events`, {
          headers: { accept: 'text/event-stream', [CONVERSATION_SECRET_HEADER]: conversation.secret },
          signal: controller.signal,
        });
      } finally {
        clearTimeout(headersDeadline);
      }
      await expectStatus(response, [200], 'GET /api/conversations/:id/events');
      if (response.body === null) throw new Error('GET /api/conversations/:id/events: no body');
      const onEvent = (event: SseEvent) => {
        if (event.event === 'message') onMessage(JSON.parse(event.data) as ConversationMessage);
      };
      const done = readEvents(response.body, onEvent).catch(() => undefined);
      return { done, close: () => controller.abort() };
    },
  };
}

export type ConversationApi = ReturnType<typeof conversationApi>;
