import { afterEach, describe, expect, test, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('the shared instances', () => {
  test('importing them adds no window listener and opens no storage', async () => {
    const listen = vi.spyOn(window, 'addEventListener');
    const session = vi.spyOn(globalThis, 'sessionStorage', 'get');
    vi.resetModules();
    const { connectionMonitor } = await import('../../../lib/chat-widget/connection-monitor/singleton');
    const { enhancedParentStorage } = await import('../../../lib/chat-widget/parent-storage-enhanced/singleton');
    expect(listen).not.toHaveBeenCalled();
    expect(session).not.toHaveBeenCalled();
    expect(connectionMonitor.isRunning()).toBe(false);
    expect(connectionMonitor.getState()).toBe('connecting');
    expect(enhancedParentStorage.getConnectionState()).toBe('connecting');
  });

  test('the shared storage adapter keeps writes for the host until a bridge is attached, then sends them', async () => {
    vi.useFakeTimers();
    try {
      vi.resetModules();
      const { enhancedParentStorage } = await import('../../../lib/chat-widget/parent-storage-enhanced/singleton');
      enhancedParentStorage.setItem('open', 'false');
      await vi.advanceTimersByTimeAsync(1000);
      expect(enhancedParentStorage.getQueueSize()).toBe(1);
      expect(enhancedParentStorage.getItemSync('open')).toBe('false');
      const callWithTimeout = vi.fn(async () => undefined);
      enhancedParentStorage.attach({ bridge: { callWithTimeout, getState: () => 'connected' } as never, widgetId: 'shared' });
      await vi.advanceTimersByTimeAsync(10);
      expect(callWithTimeout).toHaveBeenCalledWith(2000, 'setItem', 'open', 'false');
      expect(enhancedParentStorage.getQueueSize()).toBe(0);
      enhancedParentStorage.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
