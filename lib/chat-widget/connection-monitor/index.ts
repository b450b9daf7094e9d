export { ConnectionMonitor } from './monitor';
export { BridgeFigures } from './bridge-figures';
export { DEFAULT_CONNECTION_MONITOR_CONFIG, normalizeConnectionMonitorConfig } from './config';
export { connectionMonitor } from './singleton';
export type { ConnectionMonitorConfig, ConnectionMonitorOptions } from './config';
export type { ConnectionListener, ConnectionState, ConnectionStats, Pinger } from './types';
