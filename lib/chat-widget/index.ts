export { createBridgeClient, DEFAULT_BRIDGE_CLIENT_CONFIG } from './bridge-client';
export { createCallChannel } from './call-channel';
export { shakeHands } from './handshake';
export { resolveHostOrigin } from './host-origin';
export { ParentStorageAdapter } from './parent-storage';
export { ensureSessionId, SESSION_ID_KEY } from './session';
export { ConnectionMonitor, connectionMonitor, DEFAULT_CONNECTION_MONITOR_CONFIG, normalizeConnectionMonitorConfig } from './connection-monitor';
export {
  DEFAULT_ENHANCED_STORAGE_CONFIG,
  EnhancedParentStorageAdapter,
  enhancedParentStorage,
  normalizeEnhancedStorageConfig,
} from './parent-storage-enhanced';
export { createChatServices } from './chat-services';
export { CHAT_STORAGE_KEYS, MAX_STORED_MESSAGES, cannedReply, mergeConversations, parseConversation, serializeConversation } from './conversation';
export { ConversationSync, DEFAULT_CONVERSATION_SYNC_CONFIG } from './conversation-sync';
export { ConversationClient, DEFAULT_CONVERSATION_CLIENT_CONFIG, createSseParser, UnreadCounter } from './conversations';
export { toConnectionState } from './connection-state';
export { loadSessionId, settleSessionId } from './session-id';
export { createDeadlines } from './deadlines';
export { EventOutbox, DEFAULT_EVENT_OUTBOX_CONFIG } from './event-outbox';
export { Tracker, WIDGET_EVENTS } from './tracker';
export { fnv1a32, firstVariant, variantFor } from './variant';
export { surveySteps, withAnswer } from './survey';
export { OfferViews } from './offer-views';
export {
  checkConfig,
  configUrl,
  createWidgetConfigLoader,
  DEFAULT_WIDGET_CONFIG_LOADER_CONFIG,
  parseStoredConfig,
  readCollectorUrl,
  requestConfig,
  serializeStoredConfig,
} from './widget-config';
export type { BridgeClient, BridgeClientOptions, BridgeState } from './bridge-client';
export type { CallChannel } from './call-channel';
export type { HandshakeOptions } from './handshake';
export type { ParentStorageAdapterOptions } from './parent-storage';
export type { StorageSource, StoredValue } from './parent-storage-read';
export type { ConnectionListener, ConnectionMonitorConfig, ConnectionMonitorOptions, ConnectionState, ConnectionStats, Pinger } from './connection-monitor';
export type { ConnectionSource, EnhancedParentStorageOptions, StorageBridge } from './parent-storage-enhanced';
export type { RetryConfig } from './retry';
export type { ChatMessage, Offer, SurveyQuestion } from './chat-types';
export type { ChatServices, ChatServicesOptions, ChatStorage } from './chat-services';
export type { ConversationSyncOptions } from './conversation-sync';
export type { ConversationClientConfig, ConversationClientOptions, OutboxSnapshot, OutgoingMessage, SendOutcome } from './conversations';
export type { LoadedSessionId } from './session-id';
export type { Deadlines } from './deadlines';
export type { EventOutboxConfig, EventOutboxOptions } from './event-outbox';
export type { OfferClick } from './tracker';
export type { SessionStorageLike } from './session';
export type { ShownVariant } from './variant';
export type { SurveyAnswers, SurveyStep } from './survey';
export type {
  ConfigCheck,
  ConfigRequest,
  ConfigResponse,
  ConfigSource,
  ConfigStorage,
  InvalidConfigReport,
  LoadedContent,
  StoredConfig,
  WidgetConfigLoader,
  WidgetConfigLoaderConfig,
  WidgetConfigLoaderOptions,
} from './widget-config';
