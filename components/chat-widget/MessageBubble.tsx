import type { ChatMessage } from '../../lib/chat-widget/chat-types';

export interface MessageBubbleProps {
  message: ChatMessage;
  /** Sends a failed message again. */
  onRetry(id: string): void;
}

/**
 * One message of the thread. A visitor's message on its way shows "Sending…"; one that could
 * not be sent says so, with a button that sends it again (`data-testid="message-retry"`).
 */
export function MessageBubble({ message, onRetry }: MessageBubbleProps) {
  const state = message.state ?? (message.seq !== undefined ? 'sent' : undefined);
  return (
    <div className={`fw-message fw-message--${message.role}`} data-role={message.role} data-message-id={message.id} {...(state && { 'data-state': state })}>
      <p className={`fw-bubble fw-bubble--${message.role}`}>{message.text}</p>
      {message.state === 'sending' && <span className="fw-message-state">Sending…</span>}
      {message.state === 'failed' && (
        <span className="fw-message-state fw-message-state--failed" role="alert">
          Not sent.{' '}
          <button type="button" className="fw-retry" data-testid="message-retry" onClick={() => onRetry(message.id)}>
            Retry
          </button>
        </span>
      )}
    </div>
  );
}
