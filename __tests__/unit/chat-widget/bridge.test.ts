import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createBridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { createHostApi } from '../../../lib/embed/host-api';
import { createHostBridge } from '../../../lib/embed/host-bridge';
import type { HostBridge } from '../../../lib/embed/host-bridge';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { isFramewireError } from '../../../lib/protocol/errors';
import type { HostApi } from '../../../lib/protocol/host-api';
import { createLogger } from '../../../lib/util/logger';
import { linkWindows } from '../support/fake-windows';
import type { FakeWindow } from '../support/fake-windows';
import { MockMessageChannel } from '../support/mock-channel';

const HOST = 'https://host.example';
const WIDGET = 'https://widget.example';

let host: FakeWindow;
let widget: FakeWindow;
let iframe: HTMLIFrameElement;
const cleanups: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('MessageChannel', MockMessageChannel);
  MockMessageChannel.created = [];
  localStorage.clear();
  ({ host, widget, iframe } = linkWindows(HOST, WIDGET));
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function startHost(api: HostApi = createHostApi(createNamespacedStorage({ widgetId: 'demo' }))): HostBridge {
  const bridge = createHostBridge({ window: host.asWindow(), iframe, widgetOrigin: WIDGET, widgetId: 'demo', api, log: createLogger('Test', false) });
  cleanups.push(() => bridge.destroy());
  return bridge;
}

function startWidget(options: { callTimeoutMs?: number } = {}): BridgeClient {
  const client = createBridgeClient({ widgetId: 'demo', hostOrigin: HOST, self: widget.asWindow(), target: host.asWindow(), ...options });
  cleanups.push(() => client.destroy());
  return client;
}

/** Settles messages (microtasks) without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

describe('the bridge between host and widget', () => {
  test('connects and answers calls', async () => {
    startHost();
    const client = startWidget();
    await settle();
    expect(client.getState()).toBe('connected');
    await expect(client.call('ping', 5)).resolves.toBe(5);
    await expect(client.call('setItem', 'session_id', 's1')).resolves.toBeNull();
    expect(localStorage.getItem('framewire:demo:session_id')).toBe('s1');
    await expect(client.call('getItem', 'session_id')).resolves.toBe('s1');
  });

  test('posts the handshake with the host origin as targetOrigin, never "*"', async () => {
    startHost();
    startWidget();
    await settle();
    expect(host.inbox.map((message) => message.targetOrigin)).toEqual([HOST]);
    expect(widget.inbox.map((message) => message.targetOrigin)).toEqual([WIDGET]);
  });

  test('the host ignores handshakes from another origin or another window', async () => {
    const bridge = startHost();
    const data = { framewire: 1, type: 'handshake', widgetId: 'demo', nonce: 'n'.repeat(16) };
    host.emit({ data, origin: 'https://evil.example', source: widget, ports: [] });
    host.emit({ data, origin: WIDGET, source: { postMessage: vi.fn() }, ports: [] });
    host.emit({ data: { ...data, widgetId: 'other' }, origin: WIDGET, source: widget, ports: [] });
    await settle();
    expect(bridge.connections()).toBe(0);
    expect(widget.inbox).toEqual([]);
  });

  test('the widget ignores an ack from another origin or window, or for another nonce', async () => {
    const client = startWidget();
    await settle();
    const { port2 } = new MockMessageChannel();
    const ack = { framewire: 1, type: 'handshake-ack', nonce: 'n'.repeat(16) };
    widget.emit({ data: ack, origin: 'https://evil.example', source: host, ports: [port2] });
    widget.emit({ data: ack, origin: HOST, source: host, ports: [port2] });
    await settle();
    expect(client.getState()).toBe('connecting');
  });

  test('resends the handshake with backoff until a late host answers', async () => {
    const client = startWidget();
    await settle();
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000);
    expect(host.inbox).toHaveLength(4);
    startHost();
    await vi.advanceTimersByTimeAsync(2000);
    expect(client.getState()).toBe('connected');
    await expect(client.call('ping', 1)).resolves.toBe(1);
  });

  test('a resent handshake with the same nonce does not make a second connection', async () => {
    const bridge = startHost();
    startWidget();
    const [first] = host.inbox;
    await settle();
    host.emit({ data: first?.data, origin: WIDGET, source: widget, ports: [] });
    await settle();
    expect(bridge.connections()).toBe(1);
  });

  test('rejects with CONNECTION_TIMEOUT when the host never answers, after exactly the call timeout', async () => {
    const client = startWidget({ callTimeoutMs: 1000 });
    const outcome = rejection(client.call('ping', 1));
    await vi.advanceTimersByTimeAsync(999);
    expect(client.pending()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(isFramewireError(await outcome, 'CONNECTION_TIMEOUT')).toBe(true);
  });

  test('a connected host that goes silent times the call out and leaves nothing pending', async () => {
    let stall = false;
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    startHost(Object.assign(Object.create(null) as HostApi, api, {
      ping: (time: number) => (stall ? new Promise(() => undefined) : api.ping(time)),
    }));
    const client = startWidget({ callTimeoutMs: 2000 });
    await settle();
    stall = true;
    const outcome = rejection(client.call('ping', 1));
    await settle();
    expect(client.pending()).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(isFramewireError(await outcome, 'CONNECTION_TIMEOUT')).toBe(true);
    expect(client.pending()).toBe(0);
    stall = false;
    await expect(client.call('ping', 2)).resolves.toBe(2);
  });

  test('drops a late answer to a call that already timed out', async () => {
    let release: (() => void) | undefined;
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    startHost(Object.assign(Object.create(null) as HostApi, api, {
      getItem: () => new Promise((resolve) => (release = () => resolve({ ok: true, value: 'late' }))),
    }));
    const client = startWidget({ callTimeoutMs: 500 });
    await settle();
    const outcome = rejection(client.call('getItem', 'k'));
    await vi.advanceTimersByTimeAsync(500);
    expect(isFramewireError(await outcome, 'CONNECTION_TIMEOUT')).toBe(true);
    release?.();
    await settle();
    expect(client.pending()).toBe(0);
    await expect(client.call('ping', 3)).resolves.toBe(3);
  });

  test('surfaces host errors as FramewireError with their code', async () => {
    startHost();
    const client = startWidget();
    await settle();
    const error = await rejection(client.call('setItem', 'k', 'x'.repeat(70_000)));
    expect(isFramewireError(error, 'QUOTA_EXCEEDED')).toBe(true);
  });

  test('rejects an answer whose value does not match the method', async () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    startHost(Object.assign(Object.create(null) as HostApi, api, { getItem: () => ({ ok: true, value: 42 }) }));
    const client = startWidget();
    await settle();
    expect(isFramewireError(await rejection(client.call('getItem', 'k')), 'INVALID_MESSAGE')).toBe(true);
  });

  test('destroy rejects pending calls with CONNECTION_DESTROYED and leaves no listener, timer or open port', async () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    const bridge = startHost(Object.assign(Object.create(null) as HostApi, api, { ping: () => new Promise(() => undefined) }));
    const client = startWidget();
    await settle();
    const outcome = rejection(client.call('ping', 1));
    await settle();
    client.destroy();
    bridge.destroy();
    expect(isFramewireError(await outcome, 'CONNECTION_DESTROYED')).toBe(true);
    expect(client.pending()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(widget.listeners.size).toBe(0);
    expect(host.listeners.size).toBe(0);
    const [channel] = MockMessageChannel.created;
    expect(channel?.port1.closed && channel.port2.closed).toBe(true);
    expect(channel?.port1.listenerCount).toBe(0);
    expect(channel?.port2.listenerCount).toBe(0);
    expect(isFramewireError(await rejection(client.call('ping', 2)), 'CONNECTION_DESTROYED')).toBe(true);
  });

  test('destroy during the handshake stops resending and rejects waiting calls', async () => {
    const client = startWidget();
    const waiting = rejection(client.call('ping', 1));
    const ready = rejection(client.ready());
    client.destroy();
    expect(isFramewireError(await waiting, 'CONNECTION_DESTROYED')).toBe(true);
    expect(isFramewireError(await ready, 'CONNECTION_DESTROYED')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(widget.listeners.size).toBe(0);
  });

  test('ready rejects with CONNECTION_TIMEOUT when the host never answers, and the handshake goes on', async () => {
    const client = startWidget({ callTimeoutMs: 1000 });
    const ready = rejection(client.ready());
    const longer = client.ready(3000);
    await vi.advanceTimersByTimeAsync(999);
    expect(client.getState()).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(isFramewireError(await ready, 'CONNECTION_TIMEOUT')).toBe(true);
    // The host's script comes late: the handshake still gets through, within the longer deadline.
    startHost();
    await vi.advanceTimersByTimeAsync(1500);
    await expect(longer).resolves.toBeUndefined();
    expect(client.getState()).toBe('connected');
  });

  test('reconnect rejects calls in flight with CONNECTION_DESTROYED, the host closes the old port, new calls work', async () => {
    let stall = true;
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    const bridge = startHost(Object.assign(Object.create(null) as HostApi, api, {
      ping: (time: number) => (stall ? new Promise(() => undefined) : api.ping(time)),
    }));
    const client = startWidget();
    await settle();
    const inFlight = rejection(client.call('ping', 1));
    await settle();
    client.reconnect();
    expect(client.getState()).toBe('connecting');
    expect(isFramewireError(await inFlight, 'CONNECTION_DESTROYED')).toBe(true);
    await settle();
    expect(client.getState()).toBe('connected');
    expect(bridge.connections()).toBe(2);
    const [old] = MockMessageChannel.created;
    expect(old?.port1.closed).toBe(true);
    expect(old?.port2.closed).toBe(true);
    stall = false;
    await expect(client.call('ping', 2)).resolves.toBe(2);
  });

  test('tells subscribers about state changes and stops after unsubscribe', async () => {
    startHost();
    const client = startWidget();
    const states: string[] = [];
    const unsubscribe = client.subscribe((state) => states.push(state));
    await settle();
    client.reconnect();
    await settle();
    unsubscribe();
    client.destroy();
    expect(states).toEqual(['connected', 'connecting', 'connected']);
  });
});
