export { ChatWidget } from './ChatWidget';
export { useChatState } from './hooks/useChatState';
export { useChatServices } from './hooks/useChatServices';
export { useConnectionState } from './hooks/useConnectionState';
export { useWidget, TrackerContext } from './hooks/useWidget';
export type { ChatWidgetProps } from './ChatWidget';
export type { ChatState, UseChatStateProps } from './hooks/useChatState';
export type { WidgetTracking } from './hooks/useWidget';
