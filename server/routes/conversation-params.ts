import { z } from 'zod';
import { CONVERSATION_ID_PATTERN, CONVERSATION_LIMITS, CONVERSATION_STATUSES } from '../../lib/protocol/conversations';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import type { FastifyReply } from 'fastify';
import type { ConversationCursor, PostOutcome } from '../conversations/types';
import { NOT_FOUND } from '../auth';
import { widgetIdSchema } from '../ingest/schemas';

/** Largest body of a conversation `POST`: a message at its limit even with every character `\u`-escaped. */
export const CONVERSATION_MAX_BODY_BYTES = 16 * 1024;

const SEQ_MAX = 2 ** 31 - 1;
const seq = (name: string) =>
  z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,10}$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().max(SEQ_MAX, `${name} must be at most ${SEQ_MAX}`));
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** `:id` of the visitor routes (anything else is an unknown conversation: 404). */
export const conversationIdSchema = z.string().regex(CONVERSATION_ID_PATTERN);

/** `:widgetId/conversations/:id` of the agent routes. */
export const agentConversationParamsSchema = z.object({
  widgetId: widgetIdSchema,
  id: z.string().regex(CONVERSATION_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit'),
});

/** `?after=&wait=` of `GET …/messages`. */
export const messagesQuerySchema = z.object({
  after: optional(seq('after')).default(0),
  wait: optional(
    z
      .string({ error: 'must be given once' })
      .regex(/^\d{1,2}$/, 'must be whole seconds')
      .transform(Number)
      .pipe(z.number().max(CONVERSATION_LIMITS.longPollSeconds, `must be at most ${CONVERSATION_LIMITS.longPollSeconds}`)),
  ).default(0),
});

/** `?after=` of a stream. */
export const streamQuerySchema = z.object({ after: optional(seq('after')) });

/** The `Last-Event-ID` header of a resumed stream: a seq. */
export const lastEventIdSchema = seq('Last-Event-ID');

/** `{ seq }` of `POST …/read`. */
export const readBodySchema = z.strictObject({ seq: z.number().int().min(0).max(SEQ_MAX) });

/** The opaque `cursor` of the conversation list: base64url of `[lastActivityAt, id]`. */
export const encodeConversationCursor = (cursor: ConversationCursor): string =>
  Buffer.from(JSON.stringify([cursor.lastActivityAt, cursor.id]), 'utf8').toString('base64url');

const decodeCursor = (value: string): ConversationCursor | null => {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [lastActivityAt, id] = parsed as unknown[];
    if (!Number.isSafeInteger(lastActivityAt) || typeof id !== 'string' || !CONVERSATION_ID_PATTERN.test(id)) return null;
    return { lastActivityAt: lastActivityAt as number, id };
  } catch {
    return null;
  }
};

/** `?cursor=&limit=&status=` of the agent's list. */
export const conversationListQuerySchema = z.object({
  cursor: optional(
    z
      .string({ error: 'must be given once' })
      .max(200, 'is not a cursor this API gave')
      .transform((value, context) => {
        const cursor = decodeCursor(value);
        if (cursor === null) context.addIssue({ code: 'custom', message: 'is not a cursor this API gave' });
        return cursor ?? { lastActivityAt: 0, id: '' };
      }),
  ),
  limit: optional(
    z
      .string({ error: 'must be given once' })
      .regex(/^\d{1,3}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(CONVERSATION_LIMITS.conversationsPerPage, `must be at most ${CONVERSATION_LIMITS.conversationsPerPage}`)),
  ).default(CONVERSATION_LIMITS.conversationsPerPage),
  status: optional(z.enum(CONVERSATION_STATUSES, 'must be open or closed')),
});

/**
 * Parses a request body with a `zod/mini` contract schema.
 * @throws CollectorError `INVALID_REQUEST` (400) naming the first problem: `bad body: text: must not be empty`.
 */
export function parseBody<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad body: ${path === '' ? 'body' : path}: ${issue?.message ?? 'invalid'}`);
}

/** The `error` of a 409: a message id already posted with another text. */
export const MESSAGE_CONFLICT_ERROR = 'message_conflict';

/** The answer to a posted message, the visitor's or the team's: 201 new, 200 repeated, 409 conflict, 404 unknown. */
export function sendPostOutcome(reply: FastifyReply, outcome: PostOutcome): FastifyReply {
  switch (outcome.outcome) {
    case 'created':
      return reply.code(201).send(outcome.message);
    case 'repeated':
      return reply.code(200).send(outcome.message);
    case 'conflict':
      return reply.code(409).send({ error: MESSAGE_CONFLICT_ERROR });
    default:
      return reply.code(404).send(NOT_FOUND);
  }
}
