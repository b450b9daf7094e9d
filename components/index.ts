export { WidgetApp } from './WidgetApp/WidgetApp';
export { ChatWidget, CHAT_STORAGE_KEYS, createChatServices, useChatServices, useChatState, useConnectionState, useWidget, TrackerContext } from './ChatWidget/index';
export { ConnectionStatus, toConnectionState } from './ConnectionStatus/ConnectionStatus';
export { useBridgeState } from './hooks/useBridgeState';
export { useSessionId } from './hooks/useSessionId';
export type { WidgetAppProps } from './WidgetApp/WidgetApp';
export type { ConnectionState, ConnectionStatusProps } from './ConnectionStatus/ConnectionStatus';
export type { SessionIdState } from './hooks/useSessionId';
export type { ChatMessage, ChatServices, ChatServicesOptions, ChatState, ChatStorage, ChatWidgetProps, Offer, SurveyQuestion, UseChatStateProps, WidgetTracking } from './ChatWidget/index';
