import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { createConversationsClient } from '../api/conversations-client';
import { isKeyRefused } from '../api/dashboard-error';
import { ConversationList } from './ConversationList';
import type { InboxFilter, LiveMode } from './inbox-model';
import { createInboxStore } from './inbox-store';
import type { InboxStore } from './inbox-store';
import { openInboxStream } from './inbox-stream';
import { ThreadView } from './ThreadView';

/** Props of {@link InboxView}. */
export interface InboxViewProps {
  apiKey: string;
  widgetId: string;
  /** @default location.origin */
  baseUrl?: string;
  /** The key was refused (401): back to sign-in. */
  onKeyRefused: (error: unknown) => void;
}

const FILTERS: readonly { value: InboxFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

const LIVE_LABELS: Readonly<Record<LiveMode, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Live updates unavailable: checking every few seconds',
};

/** How often the list's "4 min ago" labels move on. */
const CLOCK_TICK_MS = 30_000;

/** The team's inbox of one widget: the conversations, the open thread and its reply box, kept live. */
export function InboxView({ apiKey, widgetId, baseUrl, onKeyRefused }: InboxViewProps) {
  const store = useMemo(() => {
    const client = { apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) };
    const refused = (error: unknown): void => {
      if (isKeyRefused(error)) onKeyRefused(error);
    };
    return createInboxStore({
      client: createConversationsClient({ ...client, widgetId }),
      openStream: (handlers) => openInboxStream({ ...client, widgetId, ...handlers, onError: refused }),
      // A 404 is said in the list (a collector without the inbox answers it too), not taken for a widget gone.
      onAccessError: refused,
    });
  }, [apiKey, widgetId, baseUrl, onKeyRefused]);
  useEffect(() => store.start(), [store]);
  return <Inbox store={store} />;
}

/** The inbox of a store (what {@link InboxView} renders; tests give it their own store). */
export function Inbox({ store }: { store: InboxStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const conversation = state.thread === null ? undefined : state.conversations.find((c) => c.id === state.thread?.conversationId);
  const unread = state.conversations.reduce((sum, c) => sum + c.unreadByAgent, 0);

  return (
    <div className="fwd-view" data-testid="inbox-view">
      <div className="fwd-toolbar">
        <div>
          <h1 className="fwd-title">Inbox{unread > 0 && <span className="fwd-muted"> · {unread} unread</span>}</h1>
          <p className="fwd-muted fwd-subtitle" role="status" data-testid="inbox-live" data-state={state.live}>
            <span className={state.live === 'live' ? 'fwd-pulse fwd-pulse--on' : 'fwd-pulse'} aria-hidden="true" /> {LIVE_LABELS[state.live]}
          </p>
        </div>
        <div className="fwd-toolbar__controls">
          <div className="fwd-segmented" role="radiogroup" aria-label="Conversations">
            {FILTERS.map((filter) => (
              <label key={filter.value} className="fwd-segmented__option">
                <input type="radio" name="fwd-inbox-filter" value={filter.value} checked={state.filter === filter.value} onChange={() => store.setFilter(filter.value)} />
                <span>{filter.label}</span>
              </label>
            ))}
          </div>
          <button type="button" className="fwd-button" onClick={() => store.refresh()}>
            Refresh
          </button>
        </div>
      </div>
      {state.listError !== null && (
        <div className="fwd-alert fwd-alert--error fwd-alert--row" role="alert" data-testid="inbox-error">
          <p>{state.listError}</p>
          <button type="button" className="fwd-button" onClick={() => store.refresh()}>
            Retry
          </button>
        </div>
      )}
      <div className="fwd-inbox">
        <div className="fwd-panel fwd-inbox__side">
          {state.listLoading && state.conversations.length === 0 ? (
            <p className="fwd-muted">Loading the conversations…</p>
          ) : state.conversations.length === 0 ? (
            <p className="fwd-muted" data-testid="inbox-empty">
              {state.filter === 'closed' ? 'No closed conversation.' : 'No conversation yet: when a visitor writes in the widget, it shows here.'}
            </p>
          ) : (
            <ConversationList conversations={state.conversations} selectedId={state.selectedId} now={now} onSelect={(id) => store.select(id)} />
          )}
          {state.next !== null && (
            <button type="button" className="fwd-button fwd-button--small" onClick={() => store.loadMore()}>
              Load more
            </button>
          )}
        </div>
        {state.thread === null ? (
          <p className="fwd-panel fwd-muted fwd-thread fwd-thread--none">Pick a conversation to read it and reply.</p>
        ) : (
          <ThreadView
            key={state.thread.conversationId}
            thread={state.thread}
            conversation={conversation}
            replies={state.replies.filter((reply) => reply.conversationId === state.thread?.conversationId)}
            onSend={(text) => store.send(text)}
            onRetry={(id) => store.retry(id)}
            onDiscard={(id) => store.discard(id)}
            onClose={() => conversation !== undefined && store.close(conversation.id)}
            onReopen={() => conversation !== undefined && store.reopen(conversation.id)}
          />
        )}
      </div>
    </div>
  );
}
