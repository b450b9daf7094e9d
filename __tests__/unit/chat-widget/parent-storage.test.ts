import { describe, expect, test, vi } from 'vitest';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { ParentStorageAdapter } from '../../../lib/chat-widget/parent-storage';
import { ensureSessionId } from '../../../lib/chat-widget/session';
import { ErrorCode, FramewireError } from '../../../lib/protocol/errors';
import { createMemoryStorage } from '../../../lib/util/memory-storage';

/** A bridge whose host keeps a plain map. */
function fakeBridge(hostData = new Map<string, string>()) {
  const call = vi.fn(async (method: string, ...args: unknown[]) => {
    const [key, value] = args as [string, string];
    if (method === 'getItem') return hostData.get(key) ?? null;
    if (method === 'setItem') return (hostData.set(key, value), null);
    if (method === 'removeItem') return (hostData.delete(key), null);
    return args[0];
  });
  return { bridge: { call } as unknown as BridgeClient, call, hostData };
}

describe('ParentStorageAdapter', () => {
  test('reads from the host and mirrors the value for getItemSync', async () => {
    const { bridge, hostData } = fakeBridge(new Map([['k', 'v']]));
    const mirror = createMemoryStorage();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror });
    expect(storage.getItemSync('k')).toBeNull();
    await expect(storage.getItem('k')).resolves.toBe('v');
    expect(storage.getItemSync('k')).toBe('v');
    expect(mirror.getItem('framewire:demo:k')).toBe('v');
    expect(hostData.size).toBe(1);
  });

  test('writes and removes through the host, the mirror following at once', async () => {
    const { bridge, call, hostData } = fakeBridge();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror: createMemoryStorage() });
    const writing = storage.setItem('k', 'v');
    expect(storage.getItemSync('k')).toBe('v');
    await writing;
    expect(hostData.get('k')).toBe('v');
    await storage.removeItem('k');
    expect(storage.getItemSync('k')).toBeNull();
    expect(call.mock.calls.map(([method]) => method)).toEqual(['setItem', 'removeItem']);
  });

  test('passes bridge failures to the caller without retrying', async () => {
    const call = vi.fn().mockRejectedValue(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout'));
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge: { call } as unknown as BridgeClient, mirror: createMemoryStorage() });
    await expect(storage.getItem('k')).rejects.toMatchObject({ code: 'CONNECTION_TIMEOUT' });
    expect(call).toHaveBeenCalledTimes(1);
  });

  test('standalone (no bridge) it works on the mirror, which defaults to sessionStorage', async () => {
    sessionStorage.clear();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge: null });
    await storage.setItem('k', 'v');
    await expect(storage.getItem('k')).resolves.toBe('v');
    expect(sessionStorage.getItem('framewire:demo:k')).toBe('v');
  });

  test('ensureSessionId keeps an existing id and creates a UUIDv7 only once', async () => {
    const { bridge, hostData } = fakeBridge();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror: createMemoryStorage() });
    const first = await ensureSessionId(storage);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await ensureSessionId(storage)).toBe(first);
    expect(hostData.get('session_id')).toBe(first);
  });

  test('ensureSessionId replaces a stored id longer than its 128-unit budget', async () => {
    const { bridge, hostData } = fakeBridge(new Map([['session_id', 's'.repeat(129)]]));
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror: createMemoryStorage() });
    const id = await ensureSessionId(storage);
    expect(id).toHaveLength(36);
    expect(hostData.get('session_id')).toBe(id);
  });
});

describe('ParentStorageAdapter when the host refuses a write', () => {
  test('the mirror goes back to the value the host still has', async () => {
    const call = vi.fn().mockRejectedValue(new FramewireError(ErrorCode.QUOTA_EXCEEDED, 'full'));
    const mirror = createMemoryStorage();
    mirror.setItem('framewire:demo:k', 'old');
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge: { call } as unknown as BridgeClient, mirror });
    const writing = storage.setItem('k', 'new');
    expect(storage.getItemSync('k')).toBe('new');
    await expect(writing).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storage.getItemSync('k')).toBe('old');
    await expect(storage.removeItem('k')).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storage.getItemSync('k')).toBe('old');
  });

  test('two writes refused while both were on their way leave the mirror at the value the host still has', async () => {
    const { bridge, hostData, call } = fakeBridge(new Map([['k', 'good']]));
    const refuse = async (method: string, ...args: unknown[]) => {
      if (method === 'setItem') throw new FramewireError(ErrorCode.QUOTA_EXCEEDED, 'Value over 65536 characters.');
      return hostData.get(args[0] as string) ?? null;
    };
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror: createMemoryStorage() });
    await storage.getItem('k');
    call.mockImplementation(refuse);
    const first = storage.setItem('k', 'too big 1');
    const second = storage.setItem('k', 'too big 2');
    await expect(first).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    await expect(second).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storage.getItemSync('k')).toBe('good');
    expect(hostData.get('k')).toBe('good');
  });

  test('a refused write after an accepted one leaves the mirror at the accepted value', async () => {
    const { bridge, hostData, call } = fakeBridge();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror: createMemoryStorage() });
    await storage.setItem('k', 'accepted');
    call.mockRejectedValueOnce(new FramewireError(ErrorCode.QUOTA_EXCEEDED, "The host's storage is full."));
    await expect(storage.setItem('k', 'refused')).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storage.getItemSync('k')).toBe('accepted');
    expect(hostData.get('k')).toBe('accepted');
  });

  test('a full mirror keeps its last value and the write still reaches the host', async () => {
    const { bridge, hostData } = fakeBridge();
    const mirror = createMemoryStorage();
    mirror.setItem('framewire:demo:k', 'old');
    mirror.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror });
    await storage.setItem('k', 'new');
    expect(hostData.get('k')).toBe('new');
    expect(mirror.getItem('framewire:demo:k')).toBe('old');
  });
});

describe('ParentStorageAdapter.read', () => {
  test("says 'host' for the host's answer, 'fallback' with the mirror's value when the host does not answer, 'standalone' without a host", async () => {
    const { bridge, call } = fakeBridge(new Map([['k', 'host value']]));
    const mirror = createMemoryStorage();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror });
    await expect(storage.read('k')).resolves.toEqual({ value: 'host value', source: 'host' });
    call.mockRejectedValueOnce(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'stalled'));
    storage.setFallbackItem('k', 'kept here');
    await expect(storage.read('k')).resolves.toEqual({ value: 'kept here', source: 'fallback' });
    const alone = new ParentStorageAdapter({ widgetId: 'demo', bridge: null, mirror });
    await expect(alone.read('k')).resolves.toEqual({ value: 'kept here', source: 'standalone' });
  });

  test('setFallbackItem keeps a value in the mirror and sends nothing to the host', () => {
    const { bridge, call } = fakeBridge();
    const mirror = createMemoryStorage();
    const storage = new ParentStorageAdapter({ widgetId: 'demo', bridge, mirror });
    storage.setFallbackItem('k', 'local');
    expect(storage.getItemSync('k')).toBe('local');
    expect(call).not.toHaveBeenCalled();
  });
});
