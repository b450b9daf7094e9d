import type {
  ConversationMessage,
  ConversationStatus,
  ConversationSummary,
  MessageAuthor,
  MessagePage,
} from '../../lib/protocol/conversations';

/** A conversation to start; the secret itself never reaches the store, only its digest. */
export interface NewConversation {
  id: string;
  widgetId: string;
  anonymousId: string;
  userId: string | null;
  /** sha256 of the secret, hex. */
  secretHash: string;
  /** When (ms since the epoch). */
  now: number;
}

/** What {@link ConversationStore.startConversation} did. */
export type StartOutcome = { outcome: 'created'; conversation: ConversationSummary } | { outcome: 'exists' };

/** What the visitor routes need to check a request: whose conversation it is and its secret's digest. */
export interface ConversationAccess {
  id: string;
  widgetId: string;
  /** sha256 of the secret, hex. */
  secretHash: string;
}

/** A message to post. */
export interface NewMessage {
  conversationId: string;
  /** The client-made id: the idempotency key within the conversation. */
  id: string;
  author: MessageAuthor;
  text: string;
  now: number;
}

/** What {@link ConversationStore.postMessage} did. */
export type PostOutcome =
  /** Stored now; `reopened` when it was a visitor's message to a closed conversation. */
  | { outcome: 'created'; message: ConversationMessage; widgetId: string; reopened: boolean }
  /** Stored before under this id, with the same author and text: the stored message. */
  | { outcome: 'repeated'; message: ConversationMessage }
  /** Stored before under this id with another text or author: nothing stored (409). */
  | { outcome: 'conflict' }
  | { outcome: 'not_found' };

/** A page of messages after a cursor. */
export interface MessageQuery {
  conversationId: string;
  /** Messages with `seq` greater than this. */
  after: number;
  limit: number;
}

/** Where a page of the conversation list ends: the last conversation's activity and id. */
export interface ConversationCursor {
  lastActivityAt: number;
  id: string;
}

/** A page of a widget's conversations, latest activity first. */
export interface ConversationListQuery {
  widgetId: string;
  status: ConversationStatus | null;
  cursor: ConversationCursor | null;
  limit: number;
}

/** One page of {@link ConversationListQuery}. */
export interface ConversationList {
  conversations: ConversationSummary[];
  next: ConversationCursor | null;
}

/** A close or reopen. */
export interface StatusChange {
  conversationId: string;
  widgetId: string;
  status: ConversationStatus;
  now: number;
}

/** What a {@link StatusChange} did: the conversation after it, and whether its status moved. */
export interface StatusOutcome {
  conversation: ConversationSummary;
  changed: boolean;
}

/** A change other collectors on the same database made (PostgreSQL `NOTIFY`). */
export type RemoteChange =
  | { type: 'message'; widgetId: string; conversationId: string; seq: number }
  | { type: 'status'; widgetId: string; conversationId: string; status: ConversationStatus }
  /** The listening connection was lost and is back: changes in between may have been missed. */
  | { type: 'resync' };

/** The listening side of {@link ConversationStore.listenConversations}. */
export interface ConversationListener {
  /** Stops listening and releases its connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Conversations and their messages, kept by the collector's store (SQLite or PostgreSQL, one
 * contract test suite for both).
 */
export interface ConversationStore {
  /** Creates a conversation, or says its id is taken (nothing changed). */
  startConversation(start: NewConversation): Promise<StartOutcome>;
  /** The widget and secret digest of a conversation, or `null`. */
  conversationAccess(conversationId: string): Promise<ConversationAccess | null>;
  /** The conversation as the agent API shows it (with `unreadByAgent`), or `null`. */
  getConversation(conversationId: string): Promise<ConversationSummary | null>;
  /**
   * Posts a message in one transaction: the next `seq`, the conversation's activity, first
   * visitor message / first reply times, a visitor message reopening it, and a webhook
   * delivery row when the widget has a webhook. Idempotent by (conversation, message id).
   */
  postMessage(message: NewMessage): Promise<PostOutcome>;
  /** Messages after a cursor, oldest first; `null` for an unknown conversation. */
  readMessages(query: MessageQuery): Promise<MessagePage | null>;
  /** A widget's conversations, latest activity first. */
  listConversations(query: ConversationListQuery): Promise<ConversationList>;
  /** Marks the widget's conversation read by the team up to `seq` (never backwards); false when unknown. */
  markRead(conversationId: string, widgetId: string, seq: number): Promise<boolean>;
  /** Closes or reopens a conversation of the widget; `null` when unknown. */
  setConversationStatus(change: StatusChange): Promise<StatusOutcome | null>;
  /**
   * Hears the changes other collectors make on the same database (PostgreSQL: one dedicated
   * `LISTEN` connection, reconnected after a failure). SQLite has one process: nothing to hear.
   */
  listenConversations(onChange: (change: RemoteChange) => void, onError: (error: Error) => void): ConversationListener;
}
