import { storageLength, WIDGET_STORAGE_BUDGETS } from '../protocol/limits';
import type { ConversationMessage } from '../protocol/conversations';
import type { ChatMessage } from './chat-types';

/** Storage keys, in the widget's namespace (`framewire:<widgetId>:`) of the host's localStorage. */
export const CHAT_STORAGE_KEYS = {
  /** The conversation: a JSON array of {@link ChatMessage}, the newest that fit (see {@link serializeConversation}). */
  conversation: 'conversation',
  /** The widget's own open/minimised state: `'true'` or `'false'`; missing means open. */
  open: 'open',
} as const;

/** Messages kept in storage at most, however short they are. */
export const MAX_STORED_MESSAGES = 100;

/**
 * Messages that always fit: one stored message may take at most a quarter of the
 * conversation's budget (less the brackets and commas), so the newest two exchanges are
 * always stored. A longer message is stored cut, its text ending in `…`.
 */
const ALWAYS_STORED_MESSAGES = 4;

const ELLIPSIS = '…';

const isMessage = (value: unknown): value is ChatMessage => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    (m.role === 'visitor' || m.role === 'agent' || m.role === 'bot') &&
    typeof m.text === 'string' &&
    typeof m.at === 'number' &&
    (m.seq === undefined || (Number.isInteger(m.seq) && (m.seq as number) > 0))
  );
};

/** A message from the collector as the conversation keeps it. */
export function fromServer(message: ConversationMessage): ChatMessage {
  return { id: message.id, role: message.author, text: message.text, at: message.createdAt, seq: message.seq };
}

/** The stored conversation, or an empty one when missing or unreadable (never throws). */
export function parseConversation(stored: string | null): ChatMessage[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter(isMessage) : [];
  } catch {
    return [];
  }
}

/** The first `length` units of `text`, never splitting a surrogate pair. */
function cutText(text: string, length: number): string {
  const end = length > 0 && /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * The message as stored, at most `maxLength` units of JSON: whole when it fits, else with
 * its text cut (the longest start that fits, found by halving: JSON escapes make the
 * serialised length of a text grow unevenly).
 */
function storedMessage(message: ChatMessage, maxLength: number): string {
  const whole = JSON.stringify(message);
  if (storageLength(whole) <= maxLength) return whole;
  let fits = JSON.stringify({ ...message, text: ELLIPSIS });
  let low = 0;
  let high = message.text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = JSON.stringify({ ...message, text: cutText(message.text, middle) });
    if (storageLength(candidate) <= maxLength) {
      fits = candidate;
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return fits;
}

/**
 * The conversation as stored in the host: the newest messages (at most
 * {@link MAX_STORED_MESSAGES}) whose JSON array fits in `budget` units (the conversation's
 * share of host storage by default), so the host never refuses it for size. Older messages
 * that do not fit are left out; a single message over a quarter of the budget is stored cut.
 * The result is exactly `JSON.stringify` of the kept messages.
 */
export function serializeConversation(messages: readonly ChatMessage[], budget: number = WIDGET_STORAGE_BUDGETS.conversation): string {
  const punctuation = 2 + (ALWAYS_STORED_MESSAGES - 1);
  const maxMessageLength = Math.floor((budget - punctuation) / ALWAYS_STORED_MESSAGES);
  const kept: string[] = [];
  // `[` and `]`, and a comma before every message but the first.
  let length = 2;
  for (let i = messages.length - 1; i >= 0 && kept.length < MAX_STORED_MESSAGES; i--) {
    const message = messages[i] as ChatMessage;
    const stored = storedMessage(message, maxMessageLength);
    const added = storageLength(stored) + (kept.length > 0 ? 1 : 0);
    if (length + added > budget) break;
    kept.push(stored);
    length += added;
  }
  return `[${kept.reverse().join(',')}]`;
}

/**
 * Two or more conversations as one: every message once (by id). Two messages the collector
 * stored are ordered by their `seq`; others by the creation time their ids carry (UUIDv7, to
 * the millisecond), else their `at`; messages of the same time keep the order they have in
 * the lists, the first list first. Of two copies of one message the collector's (with `seq`)
 * wins for `seq`, `at` and `role`, and the longer text wins: a stored copy may have been cut
 * to fit the budget. The outbox's `state` is never kept in a merged copy the collector has.
 */
export function mergeConversations(...conversations: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const conversation of conversations) {
    for (const message of conversation) {
      const known = byId.get(message.id);
      byId.set(message.id, known ? mergeCopies(known, message) : message);
    }
  }
  // Sorting is stable: equal keys keep the insertion order.
  return [...byId.values()].sort((a, b) => (a.seq !== undefined && b.seq !== undefined ? a.seq - b.seq : idTime(a) - idTime(b)));
}

function mergeCopies(known: ChatMessage, other: ChatMessage): ChatMessage {
  const text = other.text.length > known.text.length ? other.text : known.text;
  const stored = known.seq !== undefined ? known : other.seq !== undefined ? other : null;
  if (!stored) return text === known.text ? known : { ...known, text };
  const merged: ChatMessage = { ...stored, text };
  delete merged.state;
  return merged;
}

/** The creation time a UUIDv7 id carries (its first 48 bits), else the message's `at`; the collector's time once it has one. */
function idTime(message: ChatMessage): number {
  if (message.seq !== undefined) return message.at;
  const hex = message.id.slice(0, 8) + message.id.slice(9, 13);
  return /^[0-9a-f]{12}$/i.test(hex) && message.id.charAt(14) === '7' ? parseInt(hex, 16) : message.at;
}

/** The widget's answer: no chat backend exists, so a canned reply acknowledges the message. */
export function cannedReply(text: string): string {
  const quoted = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `Thanks! We got “${quoted}”. Someone from the team will answer here shortly.`;
}
