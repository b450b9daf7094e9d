export { createBridgeClient, DEFAULT_BRIDGE_CLIENT_CONFIG } from './bridge-client';
export { createCallChannel } from './call-channel';
export { shakeHands } from './handshake';
export { resolveHostOrigin } from './host-origin';
export { ParentStorageAdapter } from './parent-storage';
export { ensureSessionId, SESSION_ID_KEY } from './session';
export type { BridgeClient, BridgeClientOptions, BridgeState } from './bridge-client';
export type { CallChannel } from './call-channel';
export type { HandshakeOptions } from './handshake';
export type { ParentStorageAdapterOptions } from './parent-storage';
export { ConnectionMonitor, connectionMonitor, DEFAULT_CONNECTION_MONITOR_CONFIG, normalizeConnectionMonitorConfig } from './connection-monitor';
export {
  DEFAULT_ENHANCED_STORAGE_CONFIG,
  EnhancedParentStorageAdapter,
  enhancedParentStorage,
  normalizeEnhancedStorageConfig,
} from './parent-storage-enhanced';
export type { ConnectionListener, ConnectionMonitorConfig, ConnectionMonitorOptions, ConnectionState, ConnectionStats, Pinger } from './connection-monitor';
export type { ConnectionSource, EnhancedParentStorageOptions, StorageBridge } from './parent-storage-enhanced';
export type { RetryConfig } from './retry';
