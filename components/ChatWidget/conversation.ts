import type { ChatMessage } from './types';

/** Storage keys, in the widget's namespace (`framewire:<widgetId>:`) of the host's localStorage. */
export const CHAT_STORAGE_KEYS = {
  /** The conversation: a JSON array of {@link ChatMessage}, the last `MAX_STORED_MESSAGES`. */
  conversation: 'conversation',
  /** The widget's own open/minimised state: `'true'` or `'false'`; missing means open. */
  open: 'open',
} as const;

/** Messages kept in storage; older ones are dropped so the value stays far below the 64 KB key limit. */
export const MAX_STORED_MESSAGES = 100;

const isMessage = (value: unknown): value is ChatMessage => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && (m.role === 'visitor' || m.role === 'agent') && typeof m.text === 'string' && typeof m.at === 'number';
};

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

export function serializeConversation(messages: readonly ChatMessage[]): string {
  return JSON.stringify(messages.slice(-MAX_STORED_MESSAGES));
}

/** The widget's answer: no chat backend exists, so a canned reply acknowledges the message. */
export function cannedReply(text: string): string {
  const quoted = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `Thanks! We got “${quoted}”. Someone from the team will answer here shortly.`;
}
