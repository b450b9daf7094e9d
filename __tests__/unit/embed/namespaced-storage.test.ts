import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { isFramewireError } from '../../../lib/protocol/errors';
import { createMemoryStorage } from '../../../lib/util/memory-storage';

const quotaError = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return isFramewireError(error, 'QUOTA_EXCEEDED') ? error : error;
  }
  throw new Error('expected QUOTA_EXCEEDED');
};

beforeEach(() => localStorage.clear());

describe('createNamespacedStorage', () => {
  test("keeps every key under framewire:<widgetId>: in the host's localStorage", () => {
    localStorage.setItem('secret', 'host');
    const storage = createNamespacedStorage({ widgetId: 'w1' });
    storage.setItem('secret', 'widget');
    expect(localStorage.getItem('framewire:w1:secret')).toBe('widget');
    expect(localStorage.getItem('secret')).toBe('host');
    expect(storage.getItem('secret')).toBe('widget');
    storage.removeItem('secret');
    expect(localStorage.getItem('secret')).toBe('host');
    expect(storage.persistent).toBe(true);
  });

  test('keeps two widgets apart', () => {
    const one = createNamespacedStorage({ widgetId: 'one' });
    const two = createNamespacedStorage({ widgetId: 'two' });
    one.setItem('k', '1');
    expect(two.getItem('k')).toBeNull();
  });

  test('allows a key of 128 characters and refuses 129 with QUOTA_EXCEEDED', () => {
    const storage = createNamespacedStorage({ widgetId: 'w' });
    storage.setItem('k'.repeat(128), 'v');
    expect(isFramewireError(quotaError(() => storage.setItem('k'.repeat(129), 'v')), 'QUOTA_EXCEEDED')).toBe(true);
    expect(isFramewireError(quotaError(() => storage.getItem('k'.repeat(129))), 'QUOTA_EXCEEDED')).toBe(true);
  });

  test('allows a value of 64 KB and refuses one character more', () => {
    const storage = createNamespacedStorage({ widgetId: 'w' });
    storage.setItem('k', 'x'.repeat(65_536));
    expect(isFramewireError(quotaError(() => storage.setItem('k', 'x'.repeat(65_537))), 'QUOTA_EXCEEDED')).toBe(true);
    expect(storage.getItem('k')).toHaveLength(65_536);
  });

  test('refuses a write that takes the widget over 512 KB in total, host keys untouched', () => {
    localStorage.setItem('host-big', 'h'.repeat(600_000));
    const storage = createNamespacedStorage({ widgetId: 'w' });
    for (let i = 0; i < 7; i++) storage.setItem(`k${i}`, 'x'.repeat(65_536));
    expect(storage.usage()).toBe(7 * (2 + 65_536));
    expect(isFramewireError(quotaError(() => storage.setItem('k7', 'x'.repeat(65_536))), 'QUOTA_EXCEEDED')).toBe(true);
    expect(storage.getItem('k7')).toBeNull();
    // Replacing a value counts only the difference.
    storage.setItem('k0', 'y'.repeat(65_536));
    expect(localStorage.getItem('host-big')).toHaveLength(600_000);
  });

  test("answers QUOTA_EXCEEDED when the host's own storage is full", () => {
    const full = createMemoryStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const storage = createNamespacedStorage({ widgetId: 'w', storage: full });
    const error = quotaError(() => storage.setItem('k', 'v'));
    expect(isFramewireError(error, 'QUOTA_EXCEEDED')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(DOMException);
  });

  test('a write refused for its size keeps the last good value of the key', () => {
    const storage = createNamespacedStorage({ widgetId: 'w' });
    storage.setItem('conversation', 'good');
    expect(isFramewireError(quotaError(() => storage.setItem('conversation', 'x'.repeat(65_537))), 'QUOTA_EXCEEDED')).toBe(true);
    expect(storage.getItem('conversation')).toBe('good');
    expect(localStorage.getItem('framewire:w:conversation')).toBe('good');
  });

  test("a write refused for the widget's total keeps the last good value of the key", () => {
    const storage = createNamespacedStorage({ widgetId: 'w', limits: { maxTotalLength: 100 } });
    storage.setItem('conversation', 'good');
    expect(isFramewireError(quotaError(() => storage.setItem('conversation', 'x'.repeat(90))), 'QUOTA_EXCEEDED')).toBe(true);
    expect(storage.getItem('conversation')).toBe('good');
  });

  test("a write refused because the browser's quota is full keeps the last good value of the key", () => {
    const area = createMemoryStorage();
    const write = area.setItem.bind(area);
    let full = false;
    // As browsers do: a write over the quota throws and changes nothing.
    area.setItem = (key, value) => {
      if (full) throw new DOMException('full', 'QuotaExceededError');
      write(key, value);
    };
    const storage = createNamespacedStorage({ widgetId: 'w', storage: area });
    storage.setItem('conversation', 'good');
    full = true;
    expect(isFramewireError(quotaError(() => storage.setItem('conversation', 'newer')), 'QUOTA_EXCEEDED')).toBe(true);
    expect(storage.getItem('conversation')).toBe('good');
  });

  test("a host whose localStorage is full when the page loads still reads the widget's stored values", () => {
    localStorage.setItem('framewire:w:conversation', 'good');
    const write = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    try {
      const storage = createNamespacedStorage({ widgetId: 'w' });
      expect(storage.persistent).toBe(true);
      expect(storage.getItem('conversation')).toBe('good');
      expect(isFramewireError(quotaError(() => storage.setItem('conversation', 'newer')), 'QUOTA_EXCEEDED')).toBe(true);
      expect(storage.getItem('conversation')).toBe('good');
    } finally {
      write.mockRestore();
    }
  });

  test('an empty localStorage that refuses every write (Safari private mode) is replaced by memory', () => {
    const write = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota 0', 'QuotaExceededError');
    });
    try {
      const storage = createNamespacedStorage({ widgetId: 'w' });
      expect(storage.persistent).toBe(false);
      storage.setItem('k', 'v');
      expect(storage.getItem('k')).toBe('v');
    } finally {
      write.mockRestore();
    }
  });

  test('falls back to memory when localStorage throws, and keeps working', () => {
    const spy = vi.spyOn(globalThis, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    try {
      const storage = createNamespacedStorage({ widgetId: 'w' });
      expect(storage.persistent).toBe(false);
      storage.setItem('k', 'v');
      expect(storage.getItem('k')).toBe('v');
    } finally {
      spy.mockRestore();
    }
  });
});
