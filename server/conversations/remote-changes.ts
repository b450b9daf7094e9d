import type { ConversationBus } from './bus';
import type { ConversationListener, ConversationStore } from './types';

/**
 * Brings other collectors' changes (PostgreSQL `NOTIFY`) onto this process's bus. A message
 * notice carries only its seq: the message is read from the store, and only when someone here
 * follows its conversation or widget. Reads run one after another, so this process hears a
 * conversation's messages in the order they were committed.
 */
export function relayRemoteChanges(store: Pick<ConversationStore, 'listenConversations' | 'readMessages'>, bus: ConversationBus, onError: (error: unknown) => void): ConversationListener {
  let queue: Promise<void> = Promise.resolve();
  return store.listenConversations(
    (change) => {
      if (change.type !== 'message') {
        queue = queue.then(() => bus.publish(change));
        return;
      }
      queue = queue.then(async () => {
        if (!bus.isFollowed(change.conversationId, change.widgetId)) return;
        try {
          const page = await store.readMessages({ conversationId: change.conversationId, after: change.seq - 1, limit: 1 });
          const message = page?.messages[0];
          if (message !== undefined && message.seq === change.seq) bus.publish({ type: 'message', widgetId: change.widgetId, message });
        } catch (error) {
          onError(error);
        }
      });
    },
    onError,
  );
}
