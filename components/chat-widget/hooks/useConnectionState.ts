import { useCallback, useSyncExternalStore } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { ConnectionMonitor, ConnectionState } from '../../../lib/chat-widget/connection-monitor';
import { toConnectionState } from '../../../lib/chat-widget/connection-state';

/**
 * The connection state the UI shows: the monitor's when there is one (enhanced path),
 * otherwise the bridge's (`connecting` until the handshake, then `connected`).
 */
export function useConnectionState(monitor: ConnectionMonitor | null, bridge: BridgeClient | null): ConnectionState {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const offMonitor = monitor?.addListener(() => onChange());
      const offBridge = bridge?.subscribe(() => onChange());
      return () => {
        offMonitor?.();
        offBridge?.();
      };
    },
    [monitor, bridge],
  );
  const snapshot = (): ConnectionState => {
    if (monitor && bridge?.getState() !== 'connecting') return monitor.getState();
    return toConnectionState(bridge?.getState() ?? null);
  };
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
