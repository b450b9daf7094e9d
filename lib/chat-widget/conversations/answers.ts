import * as z from 'zod/mini';
import { CONVERSATION_STATUSES, MESSAGE_AUTHORS } from '../../protocol/conversations';
import type { ConversationMessage, ConversationStatus, MessagePage } from '../../protocol/conversations';

/*
 * The collector's answers as the widget reads them: the one gate for what comes back from
 * the network. Extra fields are allowed (the collector may add some); what is used is checked.
 */

export const ConversationMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  author: z.enum(MESSAGE_AUTHORS),
  text: z.string(),
  createdAt: z.number(),
  seq: z.int().check(z.minimum(1)),
});

const StatusSchema = z.enum(CONVERSATION_STATUSES);

export const StartedConversationSchema = z.object({
  conversation: z.object({ id: z.string() }),
  secret: z.string().check(z.minLength(1), z.maxLength(128)),
});

export const MessagePageSchema = z.object({
  messages: z.array(ConversationMessageSchema),
  next: z.int().check(z.minimum(0)),
  more: z.boolean(),
  status: StatusSchema,
});

export const StatusEventSchema = z.object({ status: StatusSchema });

/** A message answer, or `null` when it does not parse. */
export function parseMessage(value: unknown): ConversationMessage | null {
  const parsed = ConversationMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function parsePage(value: unknown): MessagePage | null {
  const parsed = MessagePageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function parseStatus(value: unknown): ConversationStatus | null {
  const parsed = StatusEventSchema.safeParse(value);
  return parsed.success ? parsed.data.status : null;
}

/** JSON text to a value, `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
