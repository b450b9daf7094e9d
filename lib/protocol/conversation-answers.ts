/**
 * The conversation APIs' answers as schemas (the OpenAPI document is generated from them);
 * `conversations.ts` re-exports the types only, so the widget carries none of these.
 */
import * as z from 'zod/mini';
import { CONVERSATION_STATUSES, MESSAGE_AUTHORS } from './conversations';

const ms = z.int();
const count = z.int().check(z.minimum(0));

/** One message as every API answers it. */
export const ConversationMessageSchema = z.strictObject({
  id: z.string(),
  conversationId: z.string(),
  author: z.enum(MESSAGE_AUTHORS),
  text: z.string(),
  /** When the collector stored it (ms since the epoch). */
  createdAt: ms,
  /**
   * Its place in the conversation: 1, 2, 3… without gaps, in the order the collector stored
   * them. The cursor of `?after=` and the `id:` (and `Last-Event-ID`) of the stream.
   */
  seq: z.int().check(z.minimum(1)),
});
export type ConversationMessage = z.infer<typeof ConversationMessageSchema>;

/** One conversation as the APIs answer it. */
export const ConversationSummarySchema = z.strictObject({
  id: z.string(),
  widgetId: z.string(),
  anonymousId: z.string(),
  userId: z.nullable(z.string()),
  status: z.enum(CONVERSATION_STATUSES),
  createdAt: ms,
  /** The last message's time (or the start). */
  lastActivityAt: ms,
  /** The last message's `seq` (0 before the first). */
  lastSeq: count,
  /** The newest message, for the inbox's list; `null` before the first. */
  lastMessage: z.nullable(ConversationMessageSchema),
  /** Visitor messages the team has not read (agent API only; the widget gets 0). */
  unreadByAgent: count,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

/** `201` of `POST /api/conversations`: the secret is shown this once; keep it (the widget: in the host's storage). */
export const StartedConversationSchema = z.strictObject({ conversation: ConversationSummarySchema, secret: z.string() });
export type StartedConversation = z.infer<typeof StartedConversationSchema>;

/** `GET …/messages?after=<seq>`: oldest first, at most `messagesPerPage`; `next` is the cursor to ask with next. */
export const MessagePageSchema = z.strictObject({
  messages: z.array(ConversationMessageSchema),
  /** The `seq` of the last message in `messages`, or `after` when there is none. */
  next: count,
  /** More messages after `next` right now. */
  more: z.boolean(),
  status: z.enum(CONVERSATION_STATUSES),
});
export type MessagePage = z.infer<typeof MessagePageSchema>;

/** `GET /api/widgets/:widgetId/conversations`: latest activity first; `next` is the cursor of the next page. */
export const ConversationListAnswerSchema = z.strictObject({
  conversations: z.array(ConversationSummarySchema),
  next: z.nullable(z.string()),
});
export type ConversationListAnswer = z.infer<typeof ConversationListAnswerSchema>;
