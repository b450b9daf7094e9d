import type { ConversationMessage, ConversationStatus, ConversationSummary, MessagePage } from '../../../lib/protocol/conversations';
import { DashboardError, DashboardErrorCode } from './dashboard-error';
import { createApiRequester } from './http';
import type { ApiClientOptions } from './http';

/** One page of the inbox's list: latest activity first; `next` is the cursor of the following page. */
export interface ConversationPage {
  conversations: ConversationSummary[];
  next: string | null;
}

/** What the list asks for. */
export interface ConversationListQuery {
  /** `null` or left out: the first page. */
  cursor?: string | null;
  limit?: number;
  /** Left out: open and closed. */
  status?: ConversationStatus;
}

/** The agent API of one widget's conversations (`/api/widgets/:widgetId/conversations`), each call abortable. */
export interface ConversationsClient {
  list(query: ConversationListQuery, signal?: AbortSignal): Promise<ConversationPage>;
  /** The messages after `after` (a `seq`), oldest first. */
  messages(conversationId: string, after: number, signal?: AbortSignal): Promise<MessagePage>;
  /** Posts an agent reply; idempotent by `id` (201 new, 200 the stored one). */
  reply(conversationId: string, message: { id: string; text: string }, signal?: AbortSignal): Promise<ConversationMessage>;
  /** Marks the visitor's messages read up to `seq`. */
  markRead(conversationId: string, seq: number, signal?: AbortSignal): Promise<void>;
  close(conversationId: string, signal?: AbortSignal): Promise<ConversationSummary>;
  reopen(conversationId: string, signal?: AbortSignal): Promise<ConversationSummary>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A message's shape, checked loosely: a wrong answer fails here, not in the list. */
export function isConversationMessage(value: unknown): value is ConversationMessage {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.conversationId === 'string' &&
    (value.author === 'visitor' || value.author === 'agent' || value.author === 'bot') &&
    typeof value.text === 'string' &&
    typeof value.createdAt === 'number' &&
    typeof value.seq === 'number'
  );
}

/** A conversation's shape, checked loosely. */
export function isConversationSummary(value: unknown): value is ConversationSummary {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.anonymousId === 'string' &&
    (value.status === 'open' || value.status === 'closed') &&
    typeof value.lastActivityAt === 'number' &&
    typeof value.lastSeq === 'number' &&
    typeof value.unreadByAgent === 'number' &&
    (value.lastMessage === null || isConversationMessage(value.lastMessage))
  );
}

const invalid = (status: number, what: string): DashboardError => new DashboardError(DashboardErrorCode.INVALID_RESPONSE, `the answer is not ${what}`, { status });

/**
 * A client of one widget's conversations with the key as a bearer token; the deadline
 * (15 s by default), aborts and errors are those of {@link createApiRequester}.
 */
export function createConversationsClient(options: ApiClientOptions & { widgetId: string }): ConversationsClient {
  const request = createApiRequester(options);
  const base = `/api/widgets/${encodeURIComponent(options.widgetId)}/conversations`;
  const one = (id: string): string => `${base}/${encodeURIComponent(id)}`;
  const summary = async (path: string, signal: AbortSignal | undefined): Promise<ConversationSummary> => {
    const answer = await request<unknown>({ method: 'POST', path, signal });
    if (!isConversationSummary(answer.body)) throw invalid(answer.status, 'a conversation');
    return answer.body;
  };

  return {
    async list(query, signal) {
      const { cursor, limit, status } = query;
      const answer = await request<{ conversations?: unknown; next?: unknown }>({
        path: base,
        query: { ...(cursor ? { cursor } : {}), ...(limit === undefined ? {} : { limit }), ...(status === undefined ? {} : { status }) },
        signal,
      });
      const { conversations, next } = answer.body;
      if (!Array.isArray(conversations) || !(next === null || typeof next === 'string')) throw invalid(answer.status, 'a conversation list');
      return { conversations: conversations.filter(isConversationSummary), next };
    },
    async messages(conversationId, after, signal) {
      const answer = await request<Partial<MessagePage>>({ path: `${one(conversationId)}/messages`, query: { after }, signal });
      const { messages, next, more, status } = answer.body;
      if (!Array.isArray(messages) || typeof next !== 'number' || typeof more !== 'boolean' || (status !== 'open' && status !== 'closed')) {
        throw invalid(answer.status, 'a message page');
      }
      return { messages: messages.filter(isConversationMessage), next, more, status };
    },
    async reply(conversationId, message, signal) {
      const answer = await request<unknown>({ method: 'POST', path: `${one(conversationId)}/messages`, body: message, signal });
      if (!isConversationMessage(answer.body)) throw invalid(answer.status, 'a message');
      return answer.body;
    },
    async markRead(conversationId, seq, signal) {
      await request<unknown>({ method: 'POST', path: `${one(conversationId)}/read`, body: { seq }, signal });
    },
    close: (conversationId, signal) => summary(`${one(conversationId)}/close`, signal),
    reopen: (conversationId, signal) => summary(`${one(conversationId)}/reopen`, signal),
  };
}
