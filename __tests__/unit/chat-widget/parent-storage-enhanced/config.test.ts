import { describe, expect, test } from 'vitest';
import { DEFAULT_ENHANCED_STORAGE_CONFIG, normalizeEnhancedStorageConfig } from '../../../../lib/chat-widget/parent-storage-enhanced/config';

describe('normalizeEnhancedStorageConfig', () => {
  test('fills every option left out or undefined with its default and keeps the given ones', () => {
    // `undefined` as from a spread of optional fields, which the type does not allow literally.
    const config = normalizeEnhancedStorageConfig({ cacheTtl: 100, debounceDelay: undefined as unknown as number, widgetId: 'shop' });
    expect(config).toEqual({ ...DEFAULT_ENHANCED_STORAGE_CONFIG, cacheTtl: 100, widgetId: 'shop' });
    expect(config.debounceDelay).toBe(300);
  });

  test('keeps only configuration, not the bridge, monitor or clock', () => {
    const config = normalizeEnhancedStorageConfig({ bridge: null, now: () => 0 });
    expect(Object.keys(config).sort()).toEqual(Object.keys(DEFAULT_ENHANCED_STORAGE_CONFIG).sort());
  });
});
