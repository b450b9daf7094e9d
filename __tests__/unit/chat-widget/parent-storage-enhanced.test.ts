import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { EnhancedParentStorageAdapter } from '../../../lib/chat-widget/parent-storage-enhanced';
import { ErrorCode, FramewireError } from '../../../lib/protocol/errors';
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

describe('EnhancedParentStorageAdapter debounce', () => {
  test('writes that keep coming every 100 ms still reach the host at least once a second (debounceMaxWait)', async () => {
    const host = storageHost();
    const { storage } = adapterOn(host);
    const sentAt: number[] = [];
    const start = Date.now();
    host.callWithTimeout.mockImplementation((_timeout: number, method: string, ...args: unknown[]) => {
      if (method === 'setItem') sentAt.push(Date.now() - start);
      return host.call(method, ...args);
    });
    for (let i = 1; i <= 30; i++) {
      storage.setItem('conversation', `v${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    // Three seconds of writes: sent at about 1 s and 2 s, not only after they stop.
    expect(sentAt.filter((at) => at < 3000).length).toBeGreaterThanOrEqual(2);
    expect(sentAt.every((at, i) => i === 0 || at - (sentAt[i - 1] ?? 0) <= 1000 + 100)).toBe(true);
    await settle();
    expect(host.get('conversation')).toBe('v30');
    storage.destroy();
  });

  test('a single write still waits debounceDelay (300 ms), not longer', async () => {
    const host = storageHost();
    const { storage } = adapterOn(host);
    storage.setItem('k', 'v');
    await vi.advanceTimersByTimeAsync(299);
    expect(host.callWithTimeout).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10);
    expect(host.get('k')).toBe('v');
    storage.destroy();
  });
});

describe('EnhancedParentStorageAdapter.read', () => {
  test("says 'fallback' while the host does not answer and 'host' once it has answered a read of the key", async () => {
    const host = storageHost();
    host.area.setItem('framewire:demo:conversation', 'stored');
    const answers = host.callWithTimeout.getMockImplementation();
    host.callWithTimeout.mockImplementation(() => Promise.reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'stalled')));
    const { storage } = adapterOn(host);
    storage.setFallbackItem('conversation', 'local');
    const stalled = storage.read('conversation');
    await settle();
    await expect(stalled).resolves.toEqual({ value: 'local', source: 'fallback' });
    host.callWithTimeout.mockImplementation(answers as never);
    const back = storage.read('conversation');
    await settle();
    await expect(back).resolves.toEqual({ value: 'stored', source: 'host' });
    storage.setItem('conversation', 'newer');
    // This widget's own writes after the host's answer are built on it.
    await expect(storage.read('conversation')).resolves.toEqual({ value: 'newer', source: 'host' });
    storage.destroy();
  });

  test("standalone (no host) every answer is 'standalone'", async () => {
    const storage = new EnhancedParentStorageAdapter({ widgetId: 'demo', bridge: null, fallback: createMemoryStorage(), target: null });
    storage.setItem('k', 'v');
    await expect(storage.read('k')).resolves.toEqual({ value: 'v', source: 'standalone' });
    storage.destroy();
  });
});
