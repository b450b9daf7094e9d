import type { ConversationSummary, MessageAuthor } from '../../../lib/protocol/conversations';
import { formatAgo } from '../format';

const DAY_MS = 86_400_000;
const date = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short' });

/** Characters of an anonymous id the inbox shows: enough to tell visitors apart at a glance. */
const SHORT_ID_LENGTH = 6;

/** `Visitor 3f9a1c` (the end of the anonymous id: UUIDv7s share their start), or the user id once identified. */
export function visitorLabel(conversation: Pick<ConversationSummary, 'anonymousId' | 'userId'>): string {
  if (conversation.userId !== null) return conversation.userId;
  return `Visitor ${conversation.anonymousId.slice(-SHORT_ID_LENGTH)}`;
}

/** `just now`, `4 min ago`, `2 h ago`, then the day (`7 Nov`). */
export function formatWhen(ms: number, now: number): string {
  return now - ms < DAY_MS ? formatAgo(ms, now) : date.format(new Date(ms));
}

/** Who wrote a message, as the thread says it. */
export const AUTHOR_LABELS: Readonly<Record<MessageAuthor, string>> = { visitor: 'Visitor', agent: 'Team', bot: 'Bot' };

/** The list's one-line preview of a conversation. */
export function previewOf(conversation: ConversationSummary): string {
  const last = conversation.lastMessage;
  if (last === null) return 'No message yet';
  const prefix = last.author === 'visitor' ? '' : `${AUTHOR_LABELS[last.author]}: `;
  return prefix + last.text.replace(/\s+/g, ' ').trim();
}
