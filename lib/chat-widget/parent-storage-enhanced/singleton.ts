import { EnhancedParentStorageAdapter } from './adapter';

/**
 * The shared adapter, created unbound: `enhancedParentStorage.attach({ bridge, monitor, widgetId })`.
 * Creating it opens no storage and adds no listener.
 */
export const enhancedParentStorage = new EnhancedParentStorageAdapter();
