import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { CONVERSATION_LIMITS, CONVERSATION_SECRET_HEADER, PostMessageSchema, StartConversationSchema } from '../../lib/protocol/conversations';
import type { ConversationSummary, StartedConversation } from '../../lib/protocol/conversations';
import { isWidgetId } from '../../lib/protocol/collector';
import { NOT_FOUND } from '../auth';
import { openEventStream } from '../conversations/event-stream';
import { longPoll } from '../conversations/long-poll';
import { publishPost } from '../conversations/publish';
import { hashSecret, issueSecret, secretMatches } from '../conversations/secret';
import { streamConversation } from '../conversations/conversation-stream';
import type { ConversationBus } from '../conversations/bus';
import type { StreamHub } from '../conversations/stream-hub';
import type { ConversationAccess, ConversationStore } from '../conversations/types';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { registerPreflight } from '../http';
import type { TokenBucketLimiter } from '../http';
import type { WidgetGate } from '../ingest';
import { noStore } from './analytics-read';
import { CONVERSATION_MAX_BODY_BYTES, conversationIdSchema, lastEventIdSchema, messagesQuerySchema, parseBody, sendPostOutcome, streamQuerySchema } from './conversation-params';
import { parseRequestPart } from './parse-request-part';

/** What the visitor routes need. */
export interface ConversationRoutesDeps {
  store: ConversationStore;
  bus: ConversationBus;
  hub: StreamHub;
  /** The registry's check of the widget (registration switch), as for ingestion. */
  gate: WidgetGate;
  /** Token buckets per widget and client address (one token per request). */
  limiter: TokenBucketLimiter;
  now: () => number;
}

/** The `409` of a start whose id is taken: the client starts again with a new id. */
export const CONVERSATION_EXISTS_ERROR = 'conversation_exists';
/** The `409` of a message id already used for another text. */
export { MESSAGE_CONFLICT_ERROR } from './conversation-params';

const SECRET_HEADER = CONVERSATION_SECRET_HEADER.toLowerCase();

/** The conversation of each visitor request that passed the secret check; gone with the request. */
const accesses = new WeakMap<FastifyRequest, ConversationAccess>();

const accessOf = (request: FastifyRequest): ConversationAccess => {
  const access = accesses.get(request);
  if (access === undefined) throw new Error('accessOf: the route is not guarded by the conversation secret');
  return access;
};

/** The visitor's own view: what the team has read is not the visitor's business. */
const forVisitor = (conversation: ConversationSummary): ConversationSummary => ({ ...conversation, unreadByAgent: 0 });

/**
 * The visitor API of conversations: no API key; CORS for the widget app's origins
 * (`widgetOrigins`); every answer `Cache-Control: no-store`.
 *
 * - `POST /api/conversations` → 201 `StartedConversation` (the secret, shown once); 409
 *   `conversation_exists`.
 * - `POST /api/conversations/:id/messages` → 201 new, 200 repeated (same id and text), 409
 *   `message_conflict` (same id, another text).
 * - `GET /api/conversations/:id/messages?after=&wait=` → `MessagePage` (long poll up to `wait` s).
 * - `GET /api/conversations/:id/events` → `text/event-stream`, resumed after `Last-Event-ID` / `?after=`.
 *
 * Checks, in order, before the body is read: CORS origin (403), the conversation's secret in
 * `X-Framewire-Conversation-Secret` (a wrong or missing one, or an unknown conversation: 404
 * `{ "error": "not found" }`, the same answer), the widget's registration (403, as for
 * ingestion), the rate limit of (widget, client address) (429 with `Retry-After`).
 */
export function registerConversationRoutes(app: FastifyInstance, deps: ConversationRoutesDeps): void {
  const { store, bus, hub } = deps;

  const admit = async (request: FastifyRequest, widgetId: string): Promise<void> => {
    // Conversation calls come from the widget app's origin, not from the host page: which
    // pages may show the widget is decided when widget.html is served (frame-ancestors from
    // `allowedOrigins`). Here the registry decides whether the widget may take conversations.
    await deps.gate(widgetId, null);
    const take = deps.limiter.take(`${widgetId}\u0000${request.ip}`, 1);
    if (!take.allowed) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.RATE_LIMITED, 'rate limit exceeded for this widget and client', { retryAfterSeconds: take.retryAfterSeconds });
    }
  };

  /** The secret check of every route with an `:id`, in `onRequest`: before the body is read. */
  const guard: onRequestAsyncHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id?: unknown };
    const presented = request.headers[SECRET_HEADER];
    const valid = conversationIdSchema.safeParse(id);
    const access = valid.success ? await store.conversationAccess(valid.data) : null;
    if (!secretMatches(typeof presented === 'string' ? presented : undefined, access?.secretHash ?? null) || access === null) {
      return reply.code(404).send(NOT_FOUND);
    }
    await admit(request, access.widgetId);
    accesses.set(request, access);
    return undefined;
  };

  const routeOptions = { config: { cors: 'conversation' as const }, bodyLimit: CONVERSATION_MAX_BODY_BYTES };

  registerPreflight(app, '/api/conversations', 'conversation');
  registerPreflight(app, '/api/conversations/:id/messages', 'conversation');
  registerPreflight(app, '/api/conversations/:id/events', 'conversation');

  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);

    scope.post('/api/conversations', routeOptions, async (request, reply) => {
      const start = parseBody(StartConversationSchema, request.body);
      if (!isWidgetId(start.widgetId)) {
        throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad body: widgetId: must be 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit');
      }
      await admit(request, start.widgetId);
      const secret = issueSecret();
      const outcome = await store.startConversation({
        id: start.id,
        widgetId: start.widgetId,
        anonymousId: start.anonymousId,
        userId: start.userId ?? null,
        secretHash: hashSecret(secret),
        now: deps.now(),
      });
      if (outcome.outcome === 'exists') return reply.code(409).send({ error: CONVERSATION_EXISTS_ERROR });
      const answer: StartedConversation = { conversation: forVisitor(outcome.conversation), secret };
      return reply.code(201).send(answer);
    });

    scope.post('/api/conversations/:id/messages', { ...routeOptions, onRequest: guard }, async (request, reply) => {
      const access = accessOf(request);
      const posted = parseBody(PostMessageSchema, request.body);
      const outcome = await store.postMessage({ conversationId: access.id, id: posted.id, author: 'visitor', text: posted.text, now: deps.now() });
      publishPost(bus, outcome);
      return sendPostOutcome(reply, outcome);
    });

    scope.get('/api/conversations/:id/messages', { ...routeOptions, onRequest: guard }, async (request, reply) => {
      const access = accessOf(request);
      const { after, wait } = parseRequestPart(messagesQuerySchema, request.query, 'query');
      const closed = new AbortController();
      const onClose = (): void => closed.abort();
      reply.raw.on('close', onClose);
      try {
        const page = await longPoll(
          { read: (query) => store.readMessages(query), bus, hub },
          { conversationId: access.id, after, limit: CONVERSATION_LIMITS.messagesPerPage },
          wait * 1000,
          closed.signal,
        );
        return page === null ? reply.code(404).send(NOT_FOUND) : page;
      } finally {
        reply.raw.off('close', onClose);
      }
    });

    // No HEAD twin: a stream has no headers-only form.
    scope.get('/api/conversations/:id/events', { ...routeOptions, onRequest: guard, exposeHeadRoute: false }, async (request, reply) => {
      const access = accessOf(request);
      const header = request.headers['last-event-id'];
      const fromHeader = header === undefined || header === '' ? undefined : parseRequestPart(lastEventIdSchema, header, 'query');
      const after = fromHeader ?? parseRequestPart(streamQuerySchema, request.query, 'query').after ?? 0;
      const stream = openEventStream(reply, hub, deps.now);
      streamConversation({ store, bus, onError: (error) => request.log.warn({ err: error }, 'conversation stream: store read failed') }, stream, access.id, after);
    });
  });
}
