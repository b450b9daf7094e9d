import type { ConnectionState } from '../connection-monitor';
import type { ConnectionSource, PagehideSource, StorageBridge } from './config';

/** The connection state from the monitor, else from the bridge's own state. */
export function connectionStateOf(monitor: ConnectionSource | null, bridge: StorageBridge | null | undefined, destroyed: boolean): ConnectionState {
  if (monitor) return monitor.getState();
  if (bridge === null || destroyed) return 'disconnected';
  if (bridge === undefined) return 'connecting';
  const state = bridge.getState?.() ?? 'connected';
  return state === 'destroyed' ? 'disconnected' : state;
}

export interface ConnectionBinding {
  monitor: ConnectionSource | null;
  bridge: StorageBridge | null | undefined;
  /** `undefined`: window, where there is one. */
  target: PagehideSource | null | undefined;
  onState: (state: ConnectionState) => void;
  onPagehide: () => void;
}

/**
 * Listens to the connection (the monitor's, else the bridge's, `destroyed` read as
 * `disconnected`) and to `pagehide`; returns what removes each listener.
 */
export function bindConnection(binding: ConnectionBinding): (() => void)[] {
  const { monitor, bridge, onState, onPagehide } = binding;
  const unbind: (() => void)[] = [];
  if (monitor) unbind.push(monitor.addListener(onState));
  else if (bridge?.subscribe) unbind.push(bridge.subscribe((state) => onState(state === 'destroyed' ? 'disconnected' : state)));
  const target = binding.target === undefined ? (typeof window === 'undefined' ? null : window) : binding.target;
  if (target) {
    target.addEventListener('pagehide', onPagehide);
    unbind.push(() => target.removeEventListener('pagehide', onPagehide));
  }
  return unbind;
}
