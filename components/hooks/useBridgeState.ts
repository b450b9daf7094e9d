import { useCallback, useSyncExternalStore } from 'react';
import type { BridgeClient, BridgeState } from '../../lib/chat-widget/bridge-client';

/** The bridge's state, re-rendering on every change; `null` when there is no bridge. */
export function useBridgeState(bridge: BridgeClient | null): BridgeState | null {
  const subscribe = useCallback((onChange: () => void) => bridge?.subscribe(onChange) ?? (() => undefined), [bridge]);
  return useSyncExternalStore(subscribe, () => bridge?.getState() ?? null);
}
