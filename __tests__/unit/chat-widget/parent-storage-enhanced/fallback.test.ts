import { afterEach, describe, expect, test, vi } from 'vitest';
import { FallbackStore } from '../../../../lib/chat-widget/parent-storage-enhanced/fallback';
import { createMemoryStorage } from '../../../../lib/util/memory-storage';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('FallbackStore', () => {
  test("keeps keys under the widget's namespace; null removes", () => {
    const storage = createMemoryStorage();
    const fallback = new FallbackStore('shop', storage);
    fallback.set('open', 'false');
    expect(storage.getItem('framewire:shop:open')).toBe('false');
    expect(fallback.get('open')).toBe('false');
    fallback.set('open', null);
    expect(storage.getItem('framewire:shop:open')).toBeNull();
  });

  test('another widget id reads and writes another namespace', () => {
    const storage = createMemoryStorage();
    const fallback = new FallbackStore('default', storage);
    fallback.set('open', 'true');
    fallback.setWidgetId('shop');
    expect(fallback.get('open')).toBeNull();
    fallback.set('open', 'false');
    expect(storage.getItem('framewire:default:open')).toBe('true');
    expect(storage.getItem('framewire:shop:open')).toBe('false');
  });

  test('a storage that throws reads null and skips writes instead of throwing', () => {
    const storage = createMemoryStorage();
    storage.setItem('framewire:shop:open', 'true');
    vi.spyOn(storage, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(storage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const fallback = new FallbackStore('shop', storage);
    expect(fallback.get('open')).toBeNull();
    fallback.set('open', 'false');
    vi.restoreAllMocks();
    expect(storage.getItem('framewire:shop:open')).toBe('true');
  });

  test('without a storage given, opens sessionStorage only at first use', () => {
    const open = vi.spyOn(globalThis, 'sessionStorage', 'get');
    const fallback = new FallbackStore('lazy');
    expect(open).not.toHaveBeenCalled();
    fallback.set('open', 'true');
    expect(open).toHaveBeenCalled();
    expect(globalThis.sessionStorage.getItem('framewire:lazy:open')).toBe('true');
    globalThis.sessionStorage.removeItem('framewire:lazy:open');
  });
});
