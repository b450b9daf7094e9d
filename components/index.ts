export { ChatWidget, useChatServices, useChatState, useConnectionState, useWidget, TrackerContext } from './chat-widget/index';
export { ConnectionStatus } from './connection-status/ConnectionStatus';
export type { ChatState, ChatWidgetProps, UseChatStateProps, WidgetTracking } from './chat-widget/index';
export type { ConnectionStatusProps } from './connection-status/ConnectionStatus';
// The widget's non-React parts, at home in `framewire` (lib/chat-widget/), still importable from here.
export { CHAT_STORAGE_KEYS, createChatServices, toConnectionState } from '../lib/chat-widget/index';
export type { ChatMessage, ChatServices, ChatServicesOptions, ChatStorage, ConnectionState, Offer, SurveyQuestion } from '../lib/chat-widget/index';
