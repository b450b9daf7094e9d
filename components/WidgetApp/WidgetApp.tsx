import type { BridgeClient } from '../../lib/chat-widget/bridge-client';
import type { ParentStorageAdapter } from '../../lib/chat-widget/parent-storage';
import { ConnectionStatus, toConnectionState } from '../ConnectionStatus/ConnectionStatus';
import { useBridgeState } from '../hooks/useBridgeState';
import { useSessionId } from '../hooks/useSessionId';

export interface WidgetAppProps {
  /** The bridge to the host page; `null` when the widget runs standalone. */
  bridge: BridgeClient | null;
  storage: ParentStorageAdapter;
  title?: string;
}

/** The widget's shell inside the iframe: header with the connection status, and the panel. */
export function WidgetApp({ bridge, storage, title = 'Chat' }: WidgetAppProps) {
  const bridgeState = useBridgeState(bridge);
  const standalone = bridge === null;
  const session = useSessionId(storage, standalone || bridgeState === 'connected');

  return (
    <div className="fw-app">
      <header className="fw-header">
        <h1 className="fw-title">{title}</h1>
        <ConnectionStatus state={toConnectionState(bridgeState)} standalone={standalone} />
      </header>
      <main className="fw-body">
        <p className="fw-bubble">Hi there! How can we help you today?</p>
      </main>
      <footer className="fw-footer" data-testid="session-id" data-session-id={session.status === 'ready' ? session.sessionId : ''}>
        {session.status === 'ready' && <span>Session {session.sessionId.slice(-8)}</span>}
        {session.status === 'error' && <span role="alert">Could not load your conversation.</span>}
      </footer>
    </div>
  );
}
