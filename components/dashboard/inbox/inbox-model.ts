import type { ConversationMessage, ConversationStatus, ConversationSummary, MessagePage } from '../../../lib/protocol/conversations';

/*
 * The inbox's state as pure functions: each takes a state and returns a new one. The store
 * (`inbox-store.ts`) feeds them what the API and the stream say; the view renders the state.
 */

/** Which conversations the list shows. */
export type InboxFilter = 'open' | 'closed' | 'all';

/** The open conversation's messages. */
export interface ThreadState {
  conversationId: string;
  /** Oldest first, by `seq`, without gaps from 1 (or from the first one loaded). */
  messages: ConversationMessage[];
  /** The `seq` of the last message held: the `after` of the next load. */
  next: number;
  /** More messages after `next` were there at the last load. */
  more: boolean;
  loading: boolean;
  error: string | null;
}

/** A reply being posted, or that failed (kept with its id for a retry). */
export interface PendingReply {
  /** The client-made message id: a retry sends it again, so the collector stores it once. */
  id: string;
  conversationId: string;
  text: string;
  state: 'sending' | 'failed';
  error: string | null;
}

/** How new events reach the inbox: the stream, or polling while it cannot open. */
export type LiveMode = 'connecting' | 'live' | 'polling';

/** Everything the inbox shows. */
export interface InboxState {
  filter: InboxFilter;
  /** Latest activity first. */
  conversations: ConversationSummary[];
  /** The cursor of the list's next page; `null`: no more. */
  next: string | null;
  /** Pages of the list loaded ("Load more" adds one). */
  pages: number;
  listLoading: boolean;
  listError: string | null;
  live: LiveMode;
  selectedId: string | null;
  thread: ThreadState | null;
  replies: PendingReply[];
}

/** The inbox before anything loaded. */
export const initialInboxState = (filter: InboxFilter = 'open'): InboxState => ({
  filter,
  conversations: [],
  next: null,
  pages: 0,
  listLoading: true,
  listError: null,
  live: 'connecting',
  selectedId: null,
  thread: null,
  replies: [],
});

/** Latest activity first; ties by id, so the order never flickers. */
export function byLatestActivity(a: ConversationSummary, b: ConversationSummary): number {
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const matches = (filter: InboxFilter, status: ConversationStatus): boolean => filter === 'all' || filter === status;

/** The newer of two views of one conversation: the one that has seen more messages; the collector's on a tie. */
function newer(local: ConversationSummary, server: ConversationSummary): ConversationSummary {
  return local.lastSeq > server.lastSeq ? local : server;
}

/**
 * A page of the list merged in: `append` for "Load more", else the first page again (a
 * refresh). A refresh replaces the list while only one page is loaded; with more, it updates
 * the conversations it has and keeps the others (and the cursor past them). A conversation
 * the stream moved on meanwhile keeps the newer view; `readUpTo` is what the inbox marked
 * read meanwhile (a page asked before may not know it yet).
 */
export function mergeListPage(
  state: InboxState,
  page: { conversations: ConversationSummary[]; next: string | null },
  append: boolean,
  readUpTo: ReadonlyMap<string, number> = new Map(),
): InboxState {
  const merged = new Map<string, ConversationSummary>();
  const several = append || state.pages > 1;
  const kept = several ? state.conversations : [];
  for (const conversation of kept) merged.set(conversation.id, conversation);
  for (const conversation of page.conversations) {
    const known = merged.get(conversation.id) ?? state.conversations.find((entry) => entry.id === conversation.id);
    const chosen = known === undefined ? conversation : newer(known, conversation);
    const read = readUpTo.get(chosen.id) ?? 0;
    merged.set(chosen.id, read >= chosen.lastSeq ? { ...chosen, unreadByAgent: 0 } : chosen);
  }
  const conversations = [...merged.values()].filter((c) => matches(state.filter, c.status)).sort(byLatestActivity);
  return {
    ...state,
    conversations,
    next: append || !several ? page.next : state.next,
    pages: append ? state.pages + 1 : Math.max(1, state.pages),
    listLoading: false,
    listError: null,
  };
}

/** What a new message asks of the store besides the state change. */
export interface MessageEffects {
  /** The conversation is not in the list (new, or beyond the pages loaded): reload the list. */
  reloadList: boolean;
  /** The open thread missed messages before this one: load after its cursor. */
  catchUpThread: boolean;
  /** The open thread received a visitor message: mark it read. */
  markRead: boolean;
}

/**
 * A message from the stream (or a reply just posted): the conversation moves to the top with
 * its preview and, for a visitor's message in a conversation not open, one more unread; the
 * open thread appends it. Messages already held (by `seq`) change nothing.
 */
export function applyMessage(state: InboxState, message: ConversationMessage): { state: InboxState; effects: MessageEffects } {
  const effects: MessageEffects = { reloadList: false, catchUpThread: false, markRead: false };
  let next = state;
  const index = state.conversations.findIndex((c) => c.id === message.conversationId);
  const open = state.selectedId === message.conversationId;
  const current = state.conversations[index];
  if (current === undefined) {
    effects.reloadList = true;
  } else if (message.seq > current.lastSeq) {
    const unread = message.author === 'visitor' && !open ? current.unreadByAgent + 1 : current.unreadByAgent;
    // A visitor's message reopens a closed conversation.
    const status: ConversationStatus = message.author === 'visitor' ? 'open' : current.status;
    const updated: ConversationSummary = {
      ...current,
      lastSeq: message.seq,
      lastMessage: message,
      lastActivityAt: Math.max(current.lastActivityAt, message.createdAt),
      unreadByAgent: open ? 0 : unread,
      status,
    };
    const others = state.conversations.filter((_c, i) => i !== index);
    const conversations = matches(state.filter, status) ? [...others, updated].sort(byLatestActivity) : others;
    next = { ...state, conversations };
  }

  const thread = next.thread;
  if (thread !== null && thread.conversationId === message.conversationId) {
    if (message.seq === thread.next + 1) {
      next = { ...next, thread: { ...thread, messages: [...thread.messages, message], next: message.seq } };
      if (message.author === 'visitor') effects.markRead = true;
    } else if (message.seq > thread.next + 1) {
      effects.catchUpThread = true;
    }
  }
  return { state: next, effects };
}

/** A conversation closed or reopened: its status in the list (out of it, if the filter no longer shows it). */
export function applyStatus(state: InboxState, conversationId: string, status: ConversationStatus): { state: InboxState; reloadList: boolean } {
  const current = state.conversations.find((c) => c.id === conversationId);
  if (current === undefined) return { state, reloadList: matches(state.filter, status) };
  const conversations = matches(state.filter, status)
    ? state.conversations.map((c) => (c.id === conversationId ? { ...c, status } : c))
    : state.conversations.filter((c) => c.id !== conversationId);
  return { state: { ...state, conversations }, reloadList: false };
}

/** A summary the API answered (close, reopen): it replaces the list's view of it. */
export function applySummary(state: InboxState, summary: ConversationSummary): InboxState {
  const others = state.conversations.filter((c) => c.id !== summary.id);
  const known = state.conversations.find((c) => c.id === summary.id);
  const chosen = known === undefined ? summary : { ...newer(known, summary), status: summary.status };
  const conversations = matches(state.filter, chosen.status) ? [...others, chosen].sort(byLatestActivity) : others;
  return { ...state, conversations };
}

/** Opens a conversation: an empty thread, loading. */
export function selectConversation(state: InboxState, conversationId: string | null): InboxState {
  if (conversationId === null) return { ...state, selectedId: null, thread: null };
  return { ...state, selectedId: conversationId, thread: { conversationId, messages: [], next: 0, more: false, loading: true, error: null } };
}

/** A page of the open thread's messages (after its cursor) merged in. */
export function applyMessagePage(state: InboxState, conversationId: string, page: MessagePage): InboxState {
  const thread = state.thread;
  if (thread === null || thread.conversationId !== conversationId) return state;
  const fresh = page.messages.filter((message) => message.seq > thread.next).sort((a, b) => a.seq - b.seq);
  const last = fresh.at(-1);
  const next = last === undefined ? thread.next : last.seq;
  let updated: InboxState = { ...state, thread: { ...thread, messages: [...thread.messages, ...fresh], next, more: page.more, loading: false, error: null } };
  const summary = state.conversations.find((c) => c.id === conversationId);
  if (summary !== undefined && (summary.status !== page.status || (last !== undefined && last.seq > summary.lastSeq))) {
    const newest = last !== undefined && last.seq > summary.lastSeq ? { lastSeq: last.seq, lastMessage: last, lastActivityAt: Math.max(summary.lastActivityAt, last.createdAt) } : {};
    updated = applySummary(updated, { ...summary, ...newest, status: page.status });
  }
  return updated;
}

/** The open thread could not load. */
export function threadFailed(state: InboxState, conversationId: string, error: string): InboxState {
  const thread = state.thread;
  if (thread === null || thread.conversationId !== conversationId) return state;
  return { ...state, thread: { ...thread, loading: false, error } };
}

/** The conversation marked read up to `seq`: no unread left in the list. */
export function markedRead(state: InboxState, conversationId: string, seq: number): InboxState {
  return {
    ...state,
    conversations: state.conversations.map((c) => (c.id === conversationId && seq >= c.lastSeq && c.unreadByAgent !== 0 ? { ...c, unreadByAgent: 0 } : c)),
  };
}

/** A reply starts (or starts again) sending. */
export function replySending(state: InboxState, reply: Pick<PendingReply, 'id' | 'conversationId' | 'text'>): InboxState {
  const others = state.replies.filter((r) => r.id !== reply.id);
  const existing = state.replies.find((r) => r.id === reply.id);
  const entry: PendingReply = { ...reply, state: 'sending', error: null };
  // A retry keeps its place among the replies waiting.
  return { ...state, replies: existing === undefined ? [...others, entry] : state.replies.map((r) => (r.id === reply.id ? entry : r)) };
}

/** A reply was stored: it leaves the pending ones (the message itself comes through {@link applyMessage}). */
export const replyStored = (state: InboxState, id: string): InboxState => ({ ...state, replies: state.replies.filter((r) => r.id !== id) });

/** A reply failed: kept, with why, for a retry under the same id. */
export const replyFailed = (state: InboxState, id: string, error: string): InboxState => ({
  ...state,
  replies: state.replies.map((r) => (r.id === id ? { ...r, state: 'failed', error } : r)),
});
