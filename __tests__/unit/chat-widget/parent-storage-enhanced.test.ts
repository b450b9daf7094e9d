import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { EnhancedParentStorageAdapter } from '../../../lib/chat-widget/parent-storage-enhanced';
import { createMemoryStorage } from '../../../lib/util/memory-storage';
import { storageHost } from '../support/storage-host';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function adapterOn(host: ReturnType<typeof storageHost>, fallback: Storage = createMemoryStorage()) {
  const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: host.bridge as never, fallback, target: null });
  return { storage, fallback };
}

/** Lets the debounce (300 ms) pass and the host answer. */
const settle = () => vi.advanceTimersByTimeAsync(1000);

describe('EnhancedParentStorageAdapter when the host refuses a write', () => {
  test('refused for size: the host keeps its last good value, and getItem answers it rather than the refused one', async () => {
    const host = storageHost();
    const { storage, fallback } = adapterOn(host);
    storage.setItem('conversation', 'good');
    await settle();
    expect(host.get('conversation')).toBe('good');

    storage.setItem('conversation', 'x'.repeat(70_000));
    await settle();
    expect(host.get('conversation')).toBe('good');
    expect(storage.getQueueSize()).toBe(0);
    const read = storage.getItem('conversation');
    await settle();
    await expect(read).resolves.toBe('good');
    expect(storage.getItemSync('conversation')).toBe('good');
    expect(fallback.getItem('framewire:demo:conversation')).toBe('good');
    storage.destroy();
  });

  test("refused because the host's storage is full: the fallback goes back to the host's value, not blank", async () => {
    const host = storageHost();
    const { storage, fallback } = adapterOn(host);
    host.storage.setItem('conversation', 'good');
    const read = storage.getItem('conversation');
    await settle();
    await expect(read).resolves.toBe('good');

    host.fillQuota();
    storage.setItem('conversation', 'good and more');
    expect(fallback.getItem('framewire:demo:conversation')).toBe('good and more');
    await settle();
    expect(host.get('conversation')).toBe('good');
    expect(fallback.getItem('framewire:demo:conversation')).toBe('good');
    storage.destroy();
  });

  test('a key never read: a refused write rolls the fallback back to the value it had before', async () => {
    const host = storageHost();
    const fallback = createMemoryStorage();
    fallback.setItem('framewire:demo:conversation', 'offline copy');
    const { storage } = adapterOn(host, fallback);
    host.fillQuota();
    storage.setItem('conversation', 'refused');
    await settle();
    expect(fallback.getItem('framewire:demo:conversation')).toBe('offline copy');
    expect(host.get('conversation')).toBeNull();
    storage.destroy();
  });

  test('a newer write made while an older one was being refused keeps its value, and reaches the host', async () => {
    const host = storageHost({ latency: 50 });
    const { storage } = adapterOn(host);
    storage.setItem('conversation', 'x'.repeat(70_000));
    await vi.advanceTimersByTimeAsync(310); // debounced, now on its way
    expect(host.callWithTimeout).toHaveBeenCalledTimes(1);
    storage.setItem('conversation', 'fits');
    await vi.advanceTimersByTimeAsync(45); // the refusal arrives
    expect(storage.getItemSync('conversation')).toBe('fits');
    await settle();
    expect(host.get('conversation')).toBe('fits');
    expect(storage.getItemSync('conversation')).toBe('fits');
    storage.destroy();
  });

  test('a full fallback keeps its last value, and the write still reaches the host', async () => {
    const host = storageHost();
    const fallback = createMemoryStorage();
    fallback.setItem('framewire:demo:k', 'old');
    fallback.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const { storage } = adapterOn(host, fallback);
    storage.setItem('k', 'new');
    await settle();
    expect(host.get('k')).toBe('new');
    expect(fallback.getItem('framewire:demo:k')).toBe('old');
    storage.destroy();
  });
});
