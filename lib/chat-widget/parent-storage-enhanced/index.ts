export { EnhancedParentStorageAdapter } from './adapter';
export { DEFAULT_ENHANCED_STORAGE_CONFIG, normalizeEnhancedStorageConfig } from './config';
export { enhancedParentStorage } from './singleton';
export type { ConnectionSource, EnhancedParentStorageOptions, StorageBridge } from './config';
