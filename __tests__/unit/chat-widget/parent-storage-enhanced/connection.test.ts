import { describe, expect, test, vi } from 'vitest';
import { bindConnection, connectionStateOf } from '../../../../lib/chat-widget/parent-storage-enhanced/connection';
import type { ConnectionState } from '../../../../lib/chat-widget/connection-monitor';

const monitorIn = (state: ConnectionState) => ({ getState: () => state, addListener: vi.fn(() => () => undefined), checkConnection: vi.fn() });

describe('connectionStateOf', () => {
  test("a monitor's state wins over the bridge's", () => {
    expect(connectionStateOf(monitorIn('disconnected'), { callWithTimeout: vi.fn(), getState: () => 'connected' } as never, false)).toBe('disconnected');
  });

  test('without a monitor: standalone or destroyed is disconnected, unbound is connecting, the bridge says the rest', () => {
    const bridge = (state?: string) => ({ callWithTimeout: vi.fn(), ...(state ? { getState: () => state } : {}) }) as never;
    expect(connectionStateOf(null, null, false)).toBe('disconnected');
    expect(connectionStateOf(null, bridge('connected'), true)).toBe('disconnected');
    expect(connectionStateOf(null, undefined, false)).toBe('connecting');
    expect(connectionStateOf(null, bridge('destroyed'), false)).toBe('disconnected');
    expect(connectionStateOf(null, bridge('connecting'), false)).toBe('connecting');
    expect(connectionStateOf(null, bridge(), false)).toBe('connected');
  });
});

describe('bindConnection', () => {
  test("without a monitor, follows the bridge's state, destroyed read as disconnected; pagehide until unbound", () => {
    let emit: (state: 'connected' | 'destroyed') => void = () => undefined;
    const unsubscribe = vi.fn();
    const bridge = {
      callWithTimeout: vi.fn(),
      subscribe: (listener: typeof emit) => {
        emit = listener;
        return unsubscribe;
      },
    } as never;
    const target = new EventTarget();
    const onState = vi.fn();
    const onPagehide = vi.fn();
    const unbind = bindConnection({ monitor: null, bridge, target: target as never, onState, onPagehide });
    emit('connected');
    emit('destroyed');
    expect(onState.mock.calls).toEqual([['connected'], ['disconnected']]);
    target.dispatchEvent(new Event('pagehide'));
    expect(onPagehide).toHaveBeenCalledTimes(1);
    for (const remove of unbind) remove();
    target.dispatchEvent(new Event('pagehide'));
    expect(onPagehide).toHaveBeenCalledTimes(1);
    expect(unsubscribe).toHaveBeenCalled();
  });

  test('with a monitor, listens to it and not to the bridge', () => {
    const monitor = monitorIn('connected');
    const subscribe = vi.fn();
    bindConnection({ monitor, bridge: { callWithTimeout: vi.fn(), subscribe } as never, target: null, onState: vi.fn(), onPagehide: vi.fn() });
    expect(monitor.addListener).toHaveBeenCalledTimes(1);
    expect(subscribe).not.toHaveBeenCalled();
  });
});
