import type { BridgeState } from './bridge-client';
import type { ConnectionState } from './connection-monitor';

/** The bridge's state as a connection state: `destroyed` (and no bridge) is `disconnected`. */
export function toConnectionState(state: BridgeState | null): ConnectionState {
  if (state === 'connected') return 'connected';
  if (state === 'connecting') return 'connecting';
  return 'disconnected';
}
