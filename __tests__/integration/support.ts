import { vi } from 'vitest';
import { createBridgeClient } from '../../lib/chat-widget';
import type { BridgeClient, ConnectionListener, ConnectionState } from '../../lib/chat-widget';
import { createHostApi } from '../../lib/embed/host-api';
import { createHostBridge } from '../../lib/embed/host-bridge';
import type { HostBridge } from '../../lib/embed/host-bridge';
import { createNamespacedStorage } from '../../lib/embed/namespaced-storage';
import type { HostApi } from '../../lib/protocol/host-api';
import { createLogger } from '../../lib/util/logger';
import { createMemoryStorage } from '../../lib/util/memory-storage';
import { linkWindows } from '../unit/support/fake-windows';

export const HOST_ORIGIN = 'https://host.example';
export const WIDGET_ORIGIN = 'https://widget.example';
export const WIDGET_ID = 'demo';

/**
 * The real `setImmediate`, taken before any test fakes it: Node delivers MessagePort
 * messages on its event loop, which fake timers do not drive.
 */
const realImmediate: (callback: () => void) => unknown = globalThis.setImmediate.bind(globalThis);
const NativeMessageChannel = globalThis.MessageChannel;

/** Messages posted and received on every channel made by {@link CountedMessageChannel}. */
const traffic = { posted: 0, received: 0 };

/**
 * A real MessageChannel whose ports count what they carry, so that {@link pump} knows when
 * every message has arrived. Install it with `useCountedChannels()` in beforeEach.
 */
class CountedMessageChannel extends NativeMessageChannel {
  constructor() {
    super();
    for (const port of [this.port1, this.port2]) {
      const post = port.postMessage.bind(port) as (...args: unknown[]) => void;
      port.postMessage = (...args: unknown[]) => {
        traffic.posted += 1;
        post(...args);
      };
      port.addEventListener('message', () => {
        traffic.received += 1;
      });
    }
  }
}

/** Makes the host bridge's `new MessageChannel()` a counted real one (undo with `vi.unstubAllGlobals`). */
export function useCountedChannels(): void {
  vi.stubGlobal('MessageChannel', CountedMessageChannel);
}

/** Quiet turns after which a message still in flight is taken as never to arrive (a closed port's). */
const MAX_QUIET_TURNS = 10;
/** A guard against a message loop: no test exchanges this many turns' worth of messages. */
const MAX_TURNS = 100_000;

/** Lets every message in flight over the real ports arrive, without moving the fake clock. */
export async function pump(): Promise<void> {
  let quiet = 0;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const before = traffic.posted + traffic.received;
    await new Promise<void>((resolve) => void realImmediate(resolve));
    quiet = traffic.posted + traffic.received === before ? quiet + 1 : 0;
    const inFlight = traffic.posted - traffic.received;
    if ((inFlight === 0 && quiet >= 1) || quiet >= MAX_QUIET_TURNS) return;
  }
  throw new Error(`Messages still flowing after ${MAX_TURNS} event-loop turns.`);
}

/**
 * Moves the fake clock by `ms`, one due timer at a time, delivering the messages each timer
 * sends before the next one fires: a message takes no time on the fake clock, as a message
 * between two frames of one page takes next to none on a real one.
 */
export async function advance(ms: number): Promise<void> {
  const end = Date.now() + ms;
  // A timer due at `end`, so that stepping from timer to timer never passes it.
  const stop = setTimeout(() => undefined, ms);
  await pump();
  while (Date.now() < end) {
    await vi.advanceTimersToNextTimerAsync();
    await pump();
  }
  clearTimeout(stop);
  // Timers due at `end` itself that were set after the stop timer.
  await vi.advanceTimersByTimeAsync(0);
  await pump();
}

/**
 * The host side as the embed script builds it — namespaced storage in (memory) localStorage,
 * the real host API, served through the real host bridge and call gate — behind a wrapper
 * that can make the host slow or unanswering, as a busy host main thread is:
 * - `latency` ms before each answer (0: at once, as the real host answers);
 * - `stall()` holds every answer (calls still arrive and are logged); `resume()` sends the
 *   held ones, as a host does when its thread frees up.
 */
export function realHost(options: { latency?: number } = {}) {
  const area = createMemoryStorage();
  const storage = createNamespacedStorage({ widgetId: WIDGET_ID, storage: area });
  const api = createHostApi(storage, () => ({ ok: true, value: { queued: 0 } }));
  const held: (() => void)[] = [];
  const log: { method: string; args: unknown[]; at: number }[] = [];
  let stalled = false;
  let latency = options.latency ?? 0;

  const wrapped = Object.fromEntries(
    (Object.keys(api) as (keyof HostApi)[]).map((method) => [
      method,
      (...args: unknown[]) => {
        log.push({ method, args, at: Date.now() });
        const run = (): unknown => (api[method] as (...a: unknown[]) => unknown)(...args);
        if (latency === 0 && !stalled) return run();
        return new Promise((resolve) => {
          const answer = (): void => resolve(run());
          const deliver = (): void => {
            if (stalled) held.push(answer);
            else answer();
          };
          if (latency === 0) deliver();
          else setTimeout(deliver, latency);
        });
      },
    ]),
  ) as unknown as HostApi;

  return {
    api: wrapped,
    /** The widget's keys as the host stores them (without the namespace). */
    data: {
      get: (key: string): string | undefined => storage.getItem(key) ?? undefined,
      has: (key: string): boolean => storage.getItem(key) !== null,
      set: (key: string, value: string): void => storage.setItem(key, value),
    },
    log,
    methods: () => log.map((entry) => entry.method),
    stall: () => {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const answer of held.splice(0)) answer();
    },
    setLatency: (ms: number) => {
      latency = ms;
    },
  };
}

export type RealHost = ReturnType<typeof realHost>;

/**
 * The widget's real bridge client connected to `host` through the real host bridge: the
 * handshake crosses two window stand-ins (jsdom sets no `origin`/`source` on messages), the
 * calls a real MessageChannel. Call `close()` in afterEach.
 */
export function connect(host: RealHost, options: { callTimeoutMs?: number } = {}) {
  const windows = linkWindows(HOST_ORIGIN, WIDGET_ORIGIN);
  const hostBridge: HostBridge = createHostBridge({
    window: windows.host.asWindow(),
    iframe: windows.iframe,
    widgetOrigin: WIDGET_ORIGIN,
    widgetId: WIDGET_ID,
    api: host.api,
    log: createLogger('Host', false),
  });
  const client: BridgeClient = createBridgeClient({
    widgetId: WIDGET_ID,
    hostOrigin: HOST_ORIGIN,
    self: windows.widget.asWindow(),
    target: windows.host.asWindow(),
    ...options,
  });
  return {
    client,
    hostBridge,
    close() {
      client.destroy();
      hostBridge.destroy();
    },
  };
}

/** A monitor the test sets the state of (for the storage adapter's own rules). */
export function fakeMonitor(initial: ConnectionState = 'connected') {
  let state = initial;
  const listeners = new Set<ConnectionListener>();
  return {
    getState: () => state,
    addListener(listener: ConnectionListener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    checkConnection: vi.fn(),
    listenerCount: () => listeners.size,
    set(next: ConnectionState) {
      state = next;
      const stats = { lastPingTime: null, lastPongTime: null, failedPings: 0, totalPings: 0, averageLatency: 0 };
      for (const listener of [...listeners]) listener(next, stats);
    },
  };
}

/** A window stand-in that counts its listeners and fires events on demand. */
export function fakeTarget() {
  const listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();
  return {
    document: { visibilityState: 'visible' as DocumentVisibilityState },
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      set.add(listener);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => void listeners.get(type)?.delete(listener),
    fire(type: string) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        if (typeof listener === 'function') listener(new Event(type));
        else listener.handleEvent(new Event(type));
      }
    },
    count: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}
