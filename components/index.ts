export { WidgetApp } from './WidgetApp/WidgetApp';
export { ConnectionStatus, toConnectionState } from './ConnectionStatus/ConnectionStatus';
export { useBridgeState } from './hooks/useBridgeState';
export { useSessionId } from './hooks/useSessionId';
export type { WidgetAppProps } from './WidgetApp/WidgetApp';
export type { ConnectionState, ConnectionStatusProps } from './ConnectionStatus/ConnectionStatus';
export type { SessionIdState } from './hooks/useSessionId';
