export { createConversationBus } from './bus';
export { streamConversation, streamWidget } from './conversation-stream';
export { MAX_UNREAD_STREAM_BYTES, openEventStream } from './event-stream';
export { longPoll } from './long-poll';
export { publishPost, publishStatus } from './publish';
export { relayRemoteChanges } from './remote-changes';
export { hashSecret, issueSecret, secretMatches } from './secret';
export { createStreamHub } from './stream-hub';
export type { ConversationBus, ConversationEvent, ConversationListenerFn } from './bus';
export type { ConversationStreamDeps } from './conversation-stream';
export type { EventStream } from './event-stream';
export type { LongPollDeps } from './long-poll';
export type { HubStream, StreamHub, StreamHubOptions } from './stream-hub';
export type {
  ConversationAccess,
  ConversationCursor,
  ConversationList,
  ConversationListener,
  ConversationListQuery,
  ConversationStore,
  MessageQuery,
  NewConversation,
  NewMessage,
  PostOutcome,
  RemoteChange,
  StartOutcome,
  StatusChange,
  StatusOutcome,
} from './types';
