import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AUTHOR_HEADER, CONVERSATION_LIMITS, PostMessageSchema } from '../../lib/protocol/conversations';
import type { ConversationListAnswer, ConversationStatus, MessageAuthor } from '../../lib/protocol/conversations';
import { NOT_FOUND } from '../auth';
import { streamWidget } from '../conversations/conversation-stream';
import { openEventStream } from '../conversations/event-stream';
import { publishPost, publishStatus } from '../conversations/publish';
import type { ConversationBus } from '../conversations/bus';
import type { StreamHub } from '../conversations/stream-hub';
import type { ConversationStore } from '../conversations/types';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { noStore } from './analytics-read';
import { widgetParamsSchema } from './analytics-read-queries';
import {
  agentConversationParamsSchema,
  CONVERSATION_MAX_BODY_BYTES,
  conversationListQuerySchema,
  encodeConversationCursor,
  messagesQuerySchema,
  parseBody,
  readBodySchema,
  sendPostOutcome,
} from './conversation-params';
import { parseRequestPart } from './parse-request-part';

/** What the agent routes need. */
export interface AgentConversationRoutesDeps {
  store: ConversationStore;
  bus: ConversationBus;
  hub: StreamHub;
  /** The read API's guard: the key (401), its grant and the widget's owner (404). */
  authenticate: onRequestAsyncHookHandler;
  now: () => number;
}

/** The header a bot (a webhook endpoint replying) sets to post as `bot`: the contract's. */
export { AUTHOR_HEADER } from '../../lib/protocol/conversations';

/** The answer shape of the list (its schema: `ConversationListAnswerSchema`). */
export type { ConversationListAnswer } from '../../lib/protocol/conversations';

const PREFIX = '/api/widgets/:widgetId/conversations';

const authorOf = (request: FastifyRequest): MessageAuthor => {
  const raw = request.headers[AUTHOR_HEADER.toLowerCase()];
  const header = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (header === undefined || header === 'agent') return 'agent';
  if (header === 'bot') return 'bot';
  throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad header: ${AUTHOR_HEADER} must be bot (or agent, the default)`);
};

/**
 * The agent API of conversations (the dashboard's inbox and webhook bots):
 * `Authorization: Bearer <key>` granted the widget (and, for a registered widget, its owner's),
 * as for the analytics read API; no CORS; `Cache-Control: no-store`.
 *
 * - `GET …/conversations?cursor=&limit=&status=` → `{ conversations, next }`, latest activity first.
 * - `GET …/conversations/events` → `text/event-stream` of the widget's messages and status changes.
 * - `GET …/conversations/:id/messages?after=` → `MessagePage`.
 * - `POST …/conversations/:id/messages` `{ id, text }` → 201 / 200 (repeated) / 409; author
 *   `agent`, or `bot` with `X-Framewire-Author: bot`.
 * - `POST …/conversations/:id/read` `{ seq }` → 204.
 * - `POST …/conversations/:id/close`, `/reopen` → 200 `ConversationSummary`.
 * A conversation of another widget is 404, as an unknown one.
 */
export function registerAgentConversationRoutes(app: FastifyInstance, deps: AgentConversationRoutesDeps): void {
  const { store, bus, hub } = deps;

  /** The path's conversation, if it belongs to the path's widget. */
  const conversationOf = async (request: FastifyRequest): Promise<{ widgetId: string; id: string } | null> => {
    const params = parseRequestPart(agentConversationParamsSchema, request.params, 'path');
    const access = await store.conversationAccess(params.id);
    return access === null || access.widgetId !== params.widgetId ? null : params;
  };

  const setStatus = (status: ConversationStatus) => async (request: FastifyRequest, reply: FastifyReply) => {
    const target = await conversationOf(request);
    if (target === null) return reply.code(404).send(NOT_FOUND);
    const outcome = await store.setConversationStatus({ conversationId: target.id, widgetId: target.widgetId, status, now: deps.now() });
    publishStatus(bus, outcome);
    return outcome === null ? reply.code(404).send(NOT_FOUND) : outcome.conversation;
  };

  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);
    scope.addHook('onRequest', deps.authenticate);

    scope.get(PREFIX, async (request): Promise<ConversationListAnswer> => {
      const { widgetId } = parseRequestPart(widgetParamsSchema, request.params, 'path');
      const query = parseRequestPart(conversationListQuerySchema, request.query, 'query');
      const page = await store.listConversations({ widgetId, status: query.status ?? null, cursor: query.cursor ?? null, limit: query.limit });
      return { conversations: page.conversations, next: page.next === null ? null : encodeConversationCursor(page.next) };
    });

    scope.get(`${PREFIX}/events`, { exposeHeadRoute: false }, async (request, reply) => {
      const { widgetId } = parseRequestPart(widgetParamsSchema, request.params, 'path');
      streamWidget(bus, openEventStream(reply, hub, deps.now), widgetId);
    });

    scope.get(`${PREFIX}/:id/messages`, async (request, reply) => {
      const target = await conversationOf(request);
      if (target === null) return reply.code(404).send(NOT_FOUND);
      const { after } = parseRequestPart(messagesQuerySchema, request.query, 'query');
      const page = await store.readMessages({ conversationId: target.id, after, limit: CONVERSATION_LIMITS.messagesPerPage });
      return page === null ? reply.code(404).send(NOT_FOUND) : page;
    });

    scope.post(`${PREFIX}/:id/messages`, { bodyLimit: CONVERSATION_MAX_BODY_BYTES }, async (request, reply) => {
      const author = authorOf(request);
      const target = await conversationOf(request);
      if (target === null) return reply.code(404).send(NOT_FOUND);
      const posted = parseBody(PostMessageSchema, request.body);
      const outcome = await store.postMessage({ conversationId: target.id, id: posted.id, author, text: posted.text, now: deps.now() });
      publishPost(bus, outcome);
      return sendPostOutcome(reply, outcome);
    });

    scope.post(`${PREFIX}/:id/read`, { bodyLimit: CONVERSATION_MAX_BODY_BYTES }, async (request, reply) => {
      const target = await conversationOf(request);
      if (target === null) return reply.code(404).send(NOT_FOUND);
      const { seq } = parseBody(readBodySchema, request.body);
      const marked = await store.markRead(target.id, target.widgetId, seq);
      return marked ? reply.code(204).send() : reply.code(404).send(NOT_FOUND);
    });

    scope.post(`${PREFIX}/:id/close`, { bodyLimit: CONVERSATION_MAX_BODY_BYTES }, setStatus('closed'));
    scope.post(`${PREFIX}/:id/reopen`, { bodyLimit: CONVERSATION_MAX_BODY_BYTES }, setStatus('open'));
  });
}
