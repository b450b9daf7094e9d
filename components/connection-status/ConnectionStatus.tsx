import type { ConnectionState } from '../../lib/chat-widget/connection-monitor';

/** What the status element shows: the connection monitor's states (the bridge's map onto them). */
export type { ConnectionState };

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Online',
  disconnected: 'Connection lost. Retrying…',
};

export { toConnectionState } from '../../lib/chat-widget/connection-state';

export interface ConnectionStatusProps {
  state: ConnectionState;
  /** Standalone: the widget runs without a host page (a preview); nothing is wrong. */
  standalone?: boolean;
}

/** A status pill, a banner when the connection is lost; tests read `data-state`. */
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
