import { z } from 'zod';
import { AUTHOR_HEADER, CONVERSATION_SECRET_HEADER, PostMessageSchema, StartConversationSchema } from '../../../lib/protocol/conversations';
import { ConversationListAnswerSchema, ConversationMessageSchema, ConversationSummarySchema, MessagePageSchema, StartedConversationSchema } from '../../../lib/protocol/conversation-answers';
import { widgetParamsSchema } from '../../routes/analytics-read-queries';
import { agentConversationParamsSchema, conversationIdSchema, conversationListQuerySchema, messagesQuerySchema, readBodySchema, streamQuerySchema } from '../../routes/conversation-params';
import { ANSWERS } from '../answers';
import { describeRoute } from '../describe-route';
import type { ResponseDoc, RouteDoc } from '../describe-route';

const VISITOR = '/api/conversations';
const AGENT = '/api/widgets/:widgetId/conversations';
const visitorParams = z.object({ id: conversationIdSchema });
const stream: ResponseDoc = {
  description: 'Server-Sent Events: `message` (a ConversationMessage, `id: <seq>`), `status` (`{ status }`), `: ping` comments. Never ends by itself.',
  raw: true,
  contentType: 'text/event-stream',
};
const conflict: ResponseDoc = { description: 'The message id was used for another text (`message_conflict`).', schema: z.strictObject({ error: z.literal('message_conflict') }) };
const posted = {
  200: { description: 'Already posted with this id and text: the stored message.', schema: ConversationMessageSchema },
  201: { description: 'Posted.', schema: ConversationMessageSchema },
  409: conflict,
};
const visitorErrors = {
  403: ANSWERS.forbiddenOrigin,
  404: ANSWERS.notFound('an unknown conversation, or a wrong or missing secret'),
  429: ANSWERS.rateLimited,
  503: ANSWERS.unavailable,
  500: ANSWERS.internal,
};
const agentErrors = {
  400: ANSWERS.badRequest('a path or query parameter, a header or the body'),
  401: ANSWERS.unauthorized,
  404: ANSWERS.notFound('the key may not reach the widget, or the conversation is not the widget’s'),
  503: ANSWERS.unavailable,
  500: ANSWERS.internal,
};
const bodyErrors = { 413: ANSWERS.tooLarge, 415: ANSWERS.unsupportedType };
const secretHeader = { name: CONVERSATION_SECRET_HEADER, description: 'The conversation’s secret.', required: true };

/** The visitor's and the agent's conversation APIs (`conversations.ts`, `conversations-agent.ts`). */
export const CONVERSATION_ROUTES: readonly RouteDoc[] = [
  describeRoute({
    method: 'POST',
    path: VISITOR,
    operationId: 'startConversation',
    summary: 'Starts a conversation; its secret is answered this once',
    tags: ['conversations'],
    security: 'none',
    body: { schema: StartConversationSchema, contentTypes: ['application/json', 'text/plain'] },
    responses: {
      201: { description: 'Started.', schema: StartedConversationSchema },
      400: ANSWERS.badRequest('the body'),
      409: { description: 'The id is taken (`conversation_exists`): start again with a new id.', schema: z.strictObject({ error: z.literal('conversation_exists') }) },
      ...bodyErrors,
      ...visitorErrors,
    },
  }),
  describeRoute({
    method: 'POST',
    path: `${VISITOR}/:id/messages`,
    operationId: 'postVisitorMessage',
    summary: 'The visitor posts a message (idempotent by id)',
    tags: ['conversations'],
    security: 'conversationSecret',
    params: visitorParams,
    headers: [secretHeader],
    body: { schema: PostMessageSchema, contentTypes: ['application/json', 'text/plain'] },
    responses: { ...posted, 400: ANSWERS.badRequest('the body'), ...bodyErrors, ...visitorErrors },
  }),
  describeRoute({
    method: 'GET',
    path: `${VISITOR}/:id/messages`,
    operationId: 'readVisitorMessages',
    summary: 'Messages after `after`, waiting up to `wait` seconds for one (long poll)',
    tags: ['conversations'],
    security: 'conversationSecret',
    params: visitorParams,
    query: messagesQuerySchema,
    headers: [secretHeader],
    responses: { 200: { description: 'A page of messages.', schema: MessagePageSchema }, 400: ANSWERS.badRequest('a query parameter'), ...visitorErrors },
  }),
  describeRoute({
    method: 'GET',
    path: `${VISITOR}/:id/events`,
    operationId: 'streamVisitorConversation',
    summary: 'The conversation’s messages and status changes as they happen',
    tags: ['conversations'],
    security: 'conversationSecret',
    params: visitorParams,
    query: streamQuerySchema,
    headers: [secretHeader, { name: 'Last-Event-ID', description: 'Resume after this seq (wins over `?after=`).' }],
    responses: { 200: stream, 400: ANSWERS.badRequest('`after` or `Last-Event-ID`'), ...visitorErrors },
  }),
  describeRoute({
    method: 'GET',
    path: AGENT,
    operationId: 'listConversations',
    summary: 'The widget’s conversations, latest activity first',
    tags: ['inbox'],
    security: 'apiKey',
    params: widgetParamsSchema,
    query: conversationListQuerySchema,
    responses: { 200: { description: 'A page of conversations.', schema: ConversationListAnswerSchema }, ...agentErrors },
  }),
  describeRoute({
    method: 'GET',
    path: `${AGENT}/events`,
    operationId: 'streamWidgetConversations',
    summary: 'Every message and status change of the widget’s conversations as they happen',
    tags: ['inbox'],
    security: 'apiKey',
    params: widgetParamsSchema,
    responses: { 200: stream, ...agentErrors },
  }),
  describeRoute({
    method: 'GET',
    path: `${AGENT}/:id/messages`,
    operationId: 'readAgentMessages',
    summary: 'Messages of one conversation after `after`',
    tags: ['inbox'],
    security: 'apiKey',
    params: agentConversationParamsSchema,
    query: messagesQuerySchema,
    responses: { 200: { description: 'A page of messages.', schema: MessagePageSchema }, ...agentErrors },
  }),
  describeRoute({
    method: 'POST',
    path: `${AGENT}/:id/messages`,
    operationId: 'postAgentMessage',
    summary: 'The team (or a bot) answers (idempotent by id)',
    tags: ['inbox'],
    security: 'apiKey',
    params: agentConversationParamsSchema,
    headers: [{ name: AUTHOR_HEADER, description: '`bot` to post as a bot; `agent` (the default) otherwise.' }],
    body: { schema: PostMessageSchema },
    responses: { ...posted, ...bodyErrors, ...agentErrors },
  }),
  describeRoute({
    method: 'POST',
    path: `${AGENT}/:id/read`,
    operationId: 'markConversationRead',
    summary: 'Marks the visitor’s messages up to `seq` read',
    tags: ['inbox'],
    security: 'apiKey',
    params: agentConversationParamsSchema,
    body: { schema: readBodySchema },
    responses: { 204: { description: 'Marked.' }, ...bodyErrors, ...agentErrors },
  }),
  ...(['close', 'reopen'] as const).map((action) =>
    describeRoute({
      method: 'POST',
      path: `${AGENT}/:id/${action}`,
      operationId: `${action}Conversation`,
      summary: action === 'close' ? 'Closes the conversation' : 'Opens the conversation again',
      tags: ['inbox'],
      security: 'apiKey',
      params: agentConversationParamsSchema,
      responses: { 200: { description: 'The conversation.', schema: ConversationSummarySchema }, ...bodyErrors, ...agentErrors },
    }),
  ),
];

