import type { BridgeState } from '../../lib/chat-widget/bridge-client';

/** What the status element shows: the bridge's state as the UI names it. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Online',
  disconnected: 'Offline',
};

export function toConnectionState(state: BridgeState | null): ConnectionState {
  if (state === 'connected') return 'connected';
  if (state === 'connecting') return 'connecting';
  return 'disconnected';
}

export interface ConnectionStatusProps {
  state: ConnectionState;
  /** Standalone: the widget runs without a host page (a preview); nothing is wrong. */
  standalone?: boolean;
}

/** A small status pill; tests read `data-state`. */
export function ConnectionStatus({ state, standalone = false }: ConnectionStatusProps) {
  return (
    <span
      className={`fw-status fw-status--${standalone ? 'standalone' : state}`}
      data-testid="connection-status"
      data-state={state}
      data-mode={standalone ? 'standalone' : 'embedded'}
      role="status"
    >
      {standalone ? 'Preview' : LABELS[state]}
    </span>
  );
}
