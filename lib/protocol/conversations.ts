import * as z from 'zod/mini';
import { EVENT_ID_PATTERN } from './collector';
import { isStorableString } from './storable';

/*
 * Conversations: what the widget, the collector, the dashboard's inbox and webhook bots agree
 * on. A visitor's messages go from the widget (through its outbox in the host's storage) to
 * the collector; the team answers from the inbox or a bot; replies come back to the widget
 * over a Server-Sent Events stream. Units: text lengths in UTF-16 code units.
 */

/** Every limit of the conversation API. */
export const CONVERSATION_LIMITS = {
  /** A message's text (trimmed, at least one character). */
  messageText: 2000,
  /** Messages in one page of `GET …/messages`. */
  messagesPerPage: 100,
  /** Conversations in one page of the agent's list. */
  conversationsPerPage: 50,
  /** Longest `wait` of a long poll, in seconds. */
  longPollSeconds: 25,
  /** The secret of a conversation, as issued (characters of base64url). */
  secretLength: 43,
} as const;

/** Ids of conversations and messages, made by the client (a UUIDv7 fits): the event id rule. */
export const CONVERSATION_ID_PATTERN = EVENT_ID_PATTERN;

/**
 * The header that carries a conversation's secret on every visitor request. Never in a URL:
 * URLs end up in logs, histories and `Referer`.
 */
export const CONVERSATION_SECRET_HEADER = 'X-Framewire-Conversation-Secret';

/**
 * The header a bot (a webhook endpoint replying through the agent API) sets to `bot`, so its
 * messages have author `bot`; without it the author is `agent`.
 */
export const AUTHOR_HEADER = 'X-Framewire-Author';

/** Seconds between two heartbeats (`: ping` comment lines) of an open stream. */
export const STREAM_HEARTBEAT_SECONDS = 15;

/** Who wrote a message. */
export const MESSAGE_AUTHORS = ['visitor', 'agent', 'bot'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

/** Whether a conversation takes messages. A visitor's message reopens a closed one. */
export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

const id = z.string().check(z.regex(CONVERSATION_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit'));

/** A message's text: 1–2000 characters once trimmed, no NUL or unpaired surrogate. */
export const MessageTextSchema = z.string().check(
  z.refine((text) => text.trim().length > 0, 'must not be empty'),
  z.maxLength(CONVERSATION_LIMITS.messageText, `must be at most ${CONVERSATION_LIMITS.messageText} characters`),
  z.refine(isStorableString, 'must not contain NUL or unpaired surrogates'),
);

/** `POST /api/conversations` (widget → collector): starts a conversation. */
export const StartConversationSchema = z.strictObject({
  /** Client-made; a retry with an id already taken answers 409 (start again with a new id: nothing was said in it yet). */
  id,
  widgetId: z.string(),
  /** The visitor's anonymous id (the widget's session id). */
  anonymousId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** The host's `identify` user id, when known. */
  userId: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(128)))),
});

/** `POST …/messages`, by the visitor or an agent: idempotent by `id`. */
export const PostMessageSchema = z.strictObject({ id, text: MessageTextSchema });

export type StartConversation = z.infer<typeof StartConversationSchema>;
export type PostMessage = z.infer<typeof PostMessageSchema>;

/** The answers (`ConversationMessage`, `ConversationSummary`, …): types only here, the widget carries none of their schemas. */
export type { ConversationListAnswer, ConversationMessage, ConversationSummary, MessagePage, StartedConversation } from './conversation-answers';
import type { ConversationMessage, ConversationSummary } from './conversation-answers';

/**
 * What a stream sends (`text/event-stream`), each as `event: <type>`, `data: <JSON>`:
 * - `message`: a {@link ConversationMessage}, with `id: <seq>` (the `Last-Event-ID` to resume from);
 * - `status`: `{ status }` when the conversation is closed or reopened;
 * - comment lines `: ping` every {@link STREAM_HEARTBEAT_SECONDS} seconds.
 */
export type StreamEvent = { type: 'message'; message: ConversationMessage } | { type: 'status'; status: ConversationStatus };

/** Webhook deliveries: headers and what they carry. */
export const WEBHOOK_HEADERS = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the widget's webhook secret>`. */
  signature: 'X-Framewire-Signature',
  /** The message id: deliveries are at least once, dedupe by it. */
  delivery: 'X-Framewire-Delivery',
} as const;

/** Seconds a receiver should accept between the signature's `t` and its clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The JSON body of a webhook delivery: one visitor message. */
export interface WebhookDelivery {
  type: 'message.created';
  widgetId: string;
  conversation: Pick<ConversationSummary, 'id' | 'anonymousId' | 'userId' | 'status'>;
  message: ConversationMessage;
}
