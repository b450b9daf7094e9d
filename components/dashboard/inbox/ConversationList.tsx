import type { ConversationSummary } from '../../../lib/protocol/conversations';
import { formatWhen, previewOf, visitorLabel } from './inbox-format';

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  conversations: readonly ConversationSummary[];
  selectedId: string | null;
  now: number;
  onSelect: (conversationId: string) => void;
}

/** The widget's conversations, latest activity first, each with its unread count. */
export function ConversationList({ conversations, selectedId, now, onSelect }: ConversationListProps) {
  return (
    <ul className="fwd-inbox__list" data-testid="conversation-list">
      {conversations.map((conversation) => {
        const unread = conversation.unreadByAgent;
        return (
          <li key={conversation.id}>
            <button
              type="button"
              className="fwd-inbox__item"
              aria-current={conversation.id === selectedId ? 'true' : undefined}
              data-testid="conversation-item"
              data-conversation-id={conversation.id}
              data-unread={unread}
              data-status={conversation.status}
              onClick={() => onSelect(conversation.id)}
            >
              <span className="fwd-inbox__who">
                <strong className={unread > 0 ? 'fwd-inbox__name fwd-inbox__name--unread' : 'fwd-inbox__name'}>{visitorLabel(conversation)}</strong>
                <time className="fwd-muted" dateTime={new Date(conversation.lastActivityAt).toISOString()}>
                  {formatWhen(conversation.lastActivityAt, now)}
                </time>
              </span>
              <span className="fwd-inbox__preview">
                <span className="fwd-inbox__text" data-testid="conversation-preview">
                  {previewOf(conversation)}
                </span>
                {conversation.status === 'closed' && <span className="fwd-badge">closed</span>}
                {unread > 0 && (
                  <span className="fwd-inbox__unread" data-testid="unread-count">
                    {unread}
                    <span className="fwd-visually-hidden"> unread</span>
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
