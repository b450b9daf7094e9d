import { ConnectionMonitor } from './monitor';

/**
 * The shared monitor, created unbound: `connectionMonitor.attach(bridge)` then `start()`.
 * Creating it starts nothing and touches no window.
 */
export const connectionMonitor = new ConnectionMonitor();
