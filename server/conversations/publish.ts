import type { ConversationBus } from './bus';
import type { PostOutcome, StatusOutcome } from './types';

/**
 * Tells this process's streams of a post once it is committed: a reopened conversation's
 * `status` first, then the message. (Other collectors hear it through the store's NOTIFY.)
 */
export function publishPost(bus: ConversationBus, outcome: PostOutcome): void {
  if (outcome.outcome !== 'created') return;
  const { widgetId, message } = outcome;
  if (outcome.reopened) bus.publish({ type: 'status', widgetId, conversationId: message.conversationId, status: 'open' });
  bus.publish({ type: 'message', widgetId, message });
}

/** Tells this process's streams of a close or reopen that moved the status. */
export function publishStatus(bus: ConversationBus, outcome: StatusOutcome | null): void {
  if (outcome === null || !outcome.changed) return;
  const { conversation } = outcome;
  bus.publish({ type: 'status', widgetId: conversation.widgetId, conversationId: conversation.id, status: conversation.status });
}
