import { CONVERSATION_LIMITS } from '../../../lib/protocol/conversations';
import type { ConversationMessage } from '../../../lib/protocol/conversations';
import { uuidv7 } from '../../../lib/util/ids';
import type { ConversationsClient } from '../api/conversations-client';
import { describeDashboardError, isDashboardError, isKeyRefused } from '../api/dashboard-error';
import {
  applyMessage,
  applyMessagePage,
  applyStatus,
  applySummary,
  initialInboxState,
  markedRead,
  mergeListPage,
  replyFailed,
  replySending,
  replyStored,
  selectConversation,
  threadFailed,
} from './inbox-model';
import type { InboxFilter, InboxState, LiveMode } from './inbox-model';
import type { InboxStream, StatusChange, StreamState } from './inbox-stream';

/** Defaults of {@link InboxStoreOptions}. */
export const DEFAULT_INBOX_OPTIONS = Object.freeze({
  /** How often the list (and the open thread) is loaded while the stream is not open. @default 5000 */
  pollMs: 5000,
  /** Conversations per page of the list. @default 50 (the API's most) */
  pageSize: CONVERSATION_LIMITS.conversationsPerPage,
});

/** Options of {@link createInboxStore}. */
export interface InboxStoreOptions {
  client: ConversationsClient;
  /** Opens the live stream with the store's callbacks (`openInboxStream` bound to the key and widget). */
  openStream: (handlers: { onMessage: (message: ConversationMessage) => void; onStatus: (change: StatusChange) => void; onState: (state: StreamState) => void }) => InboxStream;
  /** A request was refused for the key (401) or the widget (404). */
  onAccessError?: (error: unknown) => void;
  /** @default "open" */
  filter?: InboxFilter;
  pollMs?: number;
  pageSize?: number;
  /** Message ids (a UUIDv7 by default; tests pass their own). */
  newId?: () => string;
}

/** The inbox of one widget: state to render and the actions of its buttons. */
export interface InboxStore {
  getState(): InboxState;
  /** Called after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  setFilter(filter: InboxFilter): void;
  /** Loads the first page again (and catches the open thread up). */
  refresh(): void;
  loadMore(): void;
  /** Opens a conversation's thread (`null` closes it) and marks it read once shown. */
  select(conversationId: string | null): void;
  /** Posts a reply to the open conversation under a new id. */
  send(text: string): void;
  /** Posts a failed reply again, under its id: the collector stores it at most once. */
  retry(replyId: string): void;
  /** Drops a failed reply. */
  discard(replyId: string): void;
  close(conversationId: string): void;
  reopen(conversationId: string): void;
  /**
   * Opens the stream and loads the list; returns the stop: the stream, the polling and every
   * request end, and the state stays as it is until the next start (a remount starts again).
   */
  start(): () => void;
  /** Stops for good. */
  destroy(): void;
}

/**
 * The inbox: the list, the open thread and the replies, kept live.
 *
 * 1. The stream's `message` events update the list (the conversation to the top, one more
 *    unread) and the open thread at once; `status` events update the list. A message for a
 *    conversation not in the list, or after a gap in the thread, reloads that part.
 * 2. Whenever the stream is not open (cannot open, dropped, dead), the list and the open
 *    thread are loaded every `pollMs`; each time it opens, both are loaded once to catch up.
 * 3. A reply gets a UUIDv7 id when written; a failure (timeout included) keeps it with that
 *    id, and Retry posts the same id, so a reply that did arrive is not stored twice.
 * 4. A thread shown is marked read up to its last message, and again with each visitor
 *    message that arrives while it is shown.
 * One list load and one thread load at a time; a new one aborts the old.
 */
export function createInboxStore(options: InboxStoreOptions): InboxStore {
  const { client } = options;
  const pollMs = options.pollMs ?? DEFAULT_INBOX_OPTIONS.pollMs;
  const pageSize = options.pageSize ?? DEFAULT_INBOX_OPTIONS.pageSize;
  const newId = options.newId ?? (() => uuidv7());
  let state = initialInboxState(options.filter ?? 'open');
  const listeners = new Set<() => void>();
  const readUpTo = new Map<string, number>();
  const inFlight = new Set<AbortController>();
  let listLoad: AbortController | null = null;
  let threadLoad: AbortController | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let stream: InboxStream | null = null;
  let destroyed = false;
  // Between a stop and the next start, nothing that was in flight may change the state.
  let running = false;

  const set = (next: InboxState): void => {
    if (!running || next === state) return;
    state = next;
    for (const listener of [...listeners]) listener();
  };
  const failure = (error: unknown): string => {
    if (isKeyRefused(error) || isDashboardError(error, 'NOT_FOUND')) options.onAccessError?.(error);
    return describeDashboardError(error);
  };
  /** A request tied to the store's life: aborted by destroy; `own` also by the caller. */
  const track = (own: AbortController = new AbortController()): AbortController => {
    inFlight.add(own);
    return own;
  };
  const done = (own: AbortController): void => {
    inFlight.delete(own);
  };

  function loadList(append: boolean): void {
    if (append && (state.next === null || listLoad !== null)) return;
    listLoad?.abort();
    const own = track();
    listLoad = own;
    const filter = state.filter;
    const query = { limit: pageSize, ...(filter === 'all' ? {} : { status: filter }), ...(append ? { cursor: state.next } : {}) };
    if (state.conversations.length === 0) set({ ...state, listLoading: true });
    client.list(query, own.signal).then(
      (page) => {
        done(own);
        if (own.signal.aborted || state.filter !== filter) return;
        listLoad = null;
        set(mergeListPage(state, page, append, readUpTo));
      },
      (error: unknown) => {
        done(own);
        if (own.signal.aborted) return;
        listLoad = null;
        set({ ...state, listLoading: false, listError: failure(error) });
      },
    );
  }

  function markRead(conversationId: string): void {
    const thread = state.thread;
    if (thread === null || thread.conversationId !== conversationId) return;
    const seq = thread.next;
    if (seq === 0 || (readUpTo.get(conversationId) ?? 0) >= seq) return;
    readUpTo.set(conversationId, seq);
    set(markedRead(state, conversationId, seq));
    const own = track();
    // Not worth a message if it fails: the count comes back with the next list load.
    client.markRead(conversationId, seq, own.signal).then(
      () => done(own),
      (error: unknown) => {
        done(own);
        if (own.signal.aborted) return;
        if ((readUpTo.get(conversationId) ?? 0) === seq) readUpTo.delete(conversationId);
        failure(error);
      },
    );
  }

  /** Loads the open thread after its cursor, page after page while there is more. */
  function loadThread(): void {
    const thread = state.thread;
    if (thread === null) return;
    threadLoad?.abort();
    const own = track();
    threadLoad = own;
    const { conversationId } = thread;
    client.messages(conversationId, thread.next, own.signal).then(
      (page) => {
        done(own);
        if (own.signal.aborted) return;
        threadLoad = null;
        set(applyMessagePage(state, conversationId, page));
        markRead(conversationId);
        if (page.more && page.messages.length > 0) loadThread();
      },
      (error: unknown) => {
        done(own);
        if (own.signal.aborted) return;
        threadLoad = null;
        set(threadFailed(state, conversationId, failure(error)));
      },
    );
  }

  const onMessage = (message: ConversationMessage): void => {
    const { state: next, effects } = applyMessage(state, message);
    set(next);
    if (effects.reloadList) loadList(false);
    if (effects.catchUpThread) loadThread();
    if (effects.markRead) markRead(message.conversationId);
  };

  const onStatus = (change: StatusChange): void => {
    const { state: next, reloadList } = applyStatus(state, change.conversationId, change.status);
    set(next);
    if (reloadList) loadList(false);
  };

  const poll = (): void => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      if (!running || state.live !== 'polling') return;
      loadList(false);
      if (state.thread !== null && threadLoad === null) loadThread();
      poll();
    }, pollMs);
  };

  const setLive = (live: LiveMode): void => {
    if (state.live === live) return;
    set({ ...state, live });
    if (live === 'polling') poll();
    else clearTimeout(pollTimer);
  };

  const onState = (streamState: StreamState): void => {
    if (streamState === 'open') {
      setLive('live');
      // Whatever happened while the stream was not open: load it once.
      loadList(false);
      if (state.thread !== null) loadThread();
    } else if (streamState === 'down') {
      setLive('polling');
    }
  };

  function postReply(id: string, conversationId: string, text: string): void {
    set(replySending(state, { id, conversationId, text }));
    const own = track();
    client.reply(conversationId, { id, text }, own.signal).then(
      (message) => {
        done(own);
        if (own.signal.aborted) return;
        set(replyStored(state, id));
        onMessage(message);
      },
      (error: unknown) => {
        done(own);
        if (own.signal.aborted) return;
        set(replyFailed(state, id, failure(error)));
      },
    );
  }

  function changeStatus(conversationId: string, action: 'close' | 'reopen'): void {
    const own = track();
    client[action](conversationId, own.signal).then(
      (summary) => {
        done(own);
        if (!own.signal.aborted) set(applySummary(state, summary));
      },
      (error: unknown) => {
        done(own);
        if (!own.signal.aborted) set({ ...state, listError: failure(error) });
      },
    );
  }

  const stop = (): void => {
    running = false;
    clearTimeout(pollTimer);
    stream?.destroy();
    stream = null;
    listLoad = null;
    threadLoad = null;
    for (const controller of inFlight) controller.abort();
    inFlight.clear();
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setFilter(filter) {
      if (filter === state.filter) return;
      set({ ...state, filter, conversations: [], next: null, pages: 0, listLoading: true, listError: null });
      loadList(false);
    },
    refresh: () => {
      loadList(false);
      if (state.thread !== null) loadThread();
    },
    loadMore: () => loadList(true),
    select(conversationId) {
      if (conversationId === state.selectedId) return;
      threadLoad?.abort();
      threadLoad = null;
      set(selectConversation(state, conversationId));
      if (conversationId !== null) loadThread();
    },
    send(text) {
      const conversationId = state.selectedId;
      if (conversationId === null || text.trim() === '') return;
      postReply(newId(), conversationId, text);
    },
    retry(replyId) {
      const reply = state.replies.find((r) => r.id === replyId);
      if (reply === undefined || reply.state === 'sending') return;
      postReply(reply.id, reply.conversationId, reply.text);
    },
    discard(replyId) {
      set(replyStored(state, replyId));
    },
    close: (conversationId) => changeStatus(conversationId, 'close'),
    reopen: (conversationId) => changeStatus(conversationId, 'reopen'),
    start() {
      if (destroyed || running) return stop;
      running = true;
      state = { ...state, live: 'connecting', replies: state.replies.map((r) => (r.state === 'sending' ? { ...r, state: 'failed', error: 'Interrupted' } : r)) };
      stream = options.openStream({ onMessage, onStatus, onState });
      loadList(false);
      if (state.thread !== null) loadThread();
      return stop;
    },
    destroy() {
      destroyed = true;
      stop();
      listeners.clear();
    },
  };
}
