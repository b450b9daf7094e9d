import { CONVERSATION_LIMITS } from '../../protocol/conversations';
import { storageLength, WIDGET_STORAGE_BUDGETS } from '../../protocol/limits';

/** Where a visitor's message is on its way to the collector. `sent` messages leave the outbox. */
export type OutgoingState = 'sending' | 'failed';

/** One message in the outbox. */
export interface OutgoingMessage {
  /** The message id (UUIDv7), the same in every try: the collector dedupes by it. */
  id: string;
  text: string;
  /** When the visitor sent it (ms epoch). */
  at: number;
  state: OutgoingState;
}

const isOutgoing = (value: unknown): value is OutgoingMessage => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    typeof m.text === 'string' &&
    m.text.length <= CONVERSATION_LIMITS.messageText &&
    typeof m.at === 'number' &&
    (m.state === 'sending' || m.state === 'failed')
  );
};

/** The stored outbox, oldest first; an unreadable one is empty. */
export function parseOutbox(stored: string | null): OutgoingMessage[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter(isOutgoing) : [];
  } catch {
    return [];
  }
}

/** The outbox as stored, or `null` when it would be over its budget (`WIDGET_STORAGE_BUDGETS.outbox`). */
export function serializeOutbox(messages: readonly OutgoingMessage[], budget: number = WIDGET_STORAGE_BUDGETS.outbox): string | null {
  const value = JSON.stringify(messages);
  return storageLength(value) <= budget ? value : null;
}
