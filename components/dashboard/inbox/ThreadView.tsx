import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { CONVERSATION_LIMITS } from '../../../lib/protocol/conversations';
import type { ConversationSummary } from '../../../lib/protocol/conversations';
import { formatClock } from '../format';
import { AUTHOR_LABELS, visitorLabel } from './inbox-format';
import type { PendingReply, ThreadState } from './inbox-model';

/** Props of {@link ThreadView}. */
export interface ThreadViewProps {
  thread: ThreadState;
  /** The conversation as the list has it (absent: filtered out of the list meanwhile). */
  conversation: ConversationSummary | undefined;
  replies: readonly PendingReply[];
  onSend: (text: string) => void;
  onRetry: (replyId: string) => void;
  onDiscard: (replyId: string) => void;
  onClose: () => void;
  onReopen: () => void;
}

/** One conversation: its messages (visitor, team and bot told apart), the replies on their way, and the reply box. */
export function ThreadView({ thread, conversation, replies, onSend, onRetry, onDiscard, onClose, onReopen }: ThreadViewProps) {
  const [draft, setDraft] = useState('');
  const end = useRef<HTMLLIElement>(null);
  const count = thread.messages.length + replies.length;
  // New messages and replies scroll into view (jsdom has no scrolling). The braces matter:
  // newer browsers return a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [count]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (draft.trim() === '') return;
    onSend(draft);
    setDraft('');
  };
  const closed = conversation?.status === 'closed';

  return (
    <section className="fwd-panel fwd-thread" aria-labelledby="fwd-thread-title" data-testid="thread" data-conversation-id={thread.conversationId}>
      <div className="fwd-thread__bar">
        <h2 id="fwd-thread-title" className="fwd-panel__title">
          {conversation === undefined ? 'Conversation' : visitorLabel(conversation)}
          {conversation !== undefined && conversation.userId !== null && <span className="fwd-muted"> · visitor {conversation.anonymousId.slice(-6)}</span>}
        </h2>
        {conversation !== undefined &&
          (closed ? (
            <button type="button" className="fwd-button fwd-button--small" data-testid="conversation-reopen" onClick={onReopen}>
              Reopen
            </button>
          ) : (
            <button type="button" className="fwd-button fwd-button--small" data-testid="conversation-close" onClick={onClose}>
              Close
            </button>
          ))}
      </div>
      {thread.error !== null && (
        <p className="fwd-alert fwd-alert--error" role="alert" data-testid="thread-error">
          {thread.error}
        </p>
      )}
      <ol className="fwd-thread__messages" aria-live="polite" data-testid="thread-messages">
        {thread.loading && thread.messages.length === 0 && <li className="fwd-muted">Loading the messages…</li>}
        {thread.messages.map((message) => (
          <li key={message.id} className={`fwd-message fwd-message--${message.author}`} data-testid="thread-message" data-author={message.author} data-seq={message.seq}>
            <span className="fwd-message__meta">
              {AUTHOR_LABELS[message.author]} · {formatClock(message.createdAt)}
            </span>
            <p className="fwd-message__text">{message.text}</p>
          </li>
        ))}
        {replies.map((reply) => (
          <li key={reply.id} className="fwd-message fwd-message--agent fwd-message--pending" data-testid="pending-reply" data-state={reply.state}>
            <span className="fwd-message__meta">{reply.state === 'sending' ? 'Sending…' : `Not sent: ${reply.error ?? 'unknown error'}`}</span>
            <p className="fwd-message__text">{reply.text}</p>
            {reply.state === 'failed' && (
              <span className="fwd-message__actions">
                <button type="button" className="fwd-button fwd-button--small" data-testid="reply-retry" onClick={() => onRetry(reply.id)}>
                  Retry
                </button>
                <button type="button" className="fwd-button fwd-button--small fwd-button--ghost" onClick={() => onDiscard(reply.id)}>
                  Discard
                </button>
              </span>
            )}
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
      <form className="fwd-thread__reply" onSubmit={submit} noValidate>
        <label className="fwd-visually-hidden" htmlFor="fwd-reply">
          Reply
        </label>
        <textarea
          id="fwd-reply"
          className="fwd-input"
          rows={2}
          value={draft}
          maxLength={CONVERSATION_LIMITS.messageText}
          placeholder={closed ? 'Reply (the conversation stays closed)' : 'Reply to the visitor'}
          data-testid="reply-input"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter makes a new line.
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <button type="submit" className="fwd-button fwd-button--primary" disabled={draft.trim() === ''} data-testid="reply-send">
          Send
        </button>
      </form>
    </section>
  );
}
