import type { ConversationStore } from '../../conversations/types';
import {
  conversationAccessWork,
  getConversationWork,
  listConversationsWork,
  markReadWork,
  postMessageWork,
  readMessagesWork,
  setConversationStatusWork,
  startConversationWork,
} from '../conversation-work';
import type { Work } from '../sql-runner';

/**
 * Conversations on SQLite: each call one synchronous transaction on the store's one
 * connection, so nothing runs in between and a post cannot meet a concurrent one. One process
 * holds the file: there are no other collectors to hear from.
 */
export function createSqliteConversationStore(
  inTransaction: <T>(work: Work<T>) => Promise<T>,
  autocommit: <T>(work: Work<T>) => Promise<T>,
): ConversationStore {
  return {
    startConversation: (start) => inTransaction(startConversationWork(start)),
    conversationAccess: (id) => autocommit(conversationAccessWork(id)),
    getConversation: (id) => autocommit(getConversationWork(id)),
    postMessage: (message) => inTransaction(postMessageWork(message)),
    readMessages: (query) => inTransaction(readMessagesWork(query)),
    listConversations: (query) => autocommit(listConversationsWork(query)),
    markRead: (id, widgetId, seq) => autocommit(markReadWork(id, widgetId, seq)),
    setConversationStatus: (change) => inTransaction(setConversationStatusWork(change)),
    listenConversations: () => ({ close: async () => undefined }),
  };
}
