import { vi } from 'vitest';
import type { ConnectionListener, ConnectionState } from '../../lib/chat-widget/connection-monitor';
import { ErrorCode, FramewireError } from '../../lib/protocol/errors';

/**
 * A host behind a mock bridge: `callWithTimeout` answers from a map after `latency` ms,
 * rejects with CONNECTION_TIMEOUT when `timeoutMs` passes first. `stall()` makes the host
 * hold every call (its main thread blocked); `resume()` answers the held ones, as a host
 * does when its thread frees up.
 */
export function mockHost(options: { latency?: number } = {}) {
  const data = new Map<string, string>();
  const held: (() => void)[] = [];
  const log: { method: string; args: unknown[]; at: number }[] = [];
  let stalled = false;
  let latency = options.latency ?? 1;
  const handle = (method: string, args: unknown[]): unknown => {
    const [key, value] = args as [string, string];
    if (method === 'ping') return args[0];
    if (method === 'getItem') return data.get(key) ?? null;
    if (method === 'setItem') return (data.set(key, value), null);
    if (method === 'removeItem') return (data.delete(key), null);
    throw new Error(`unknown method ${method}`);
  };
  const callWithTimeout = vi.fn(
    (timeoutMs: number, method: string, ...args: unknown[]) =>
      new Promise((resolve, reject) => {
        log.push({ method, args, at: Date.now() });
        let settled = false;
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, `${method} got no answer in ${timeoutMs} ms.`));
        }, timeoutMs);
        const answer = (): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(handle(method, args));
        };
        const deliver = (): void => (stalled ? void held.push(answer) : answer());
        setTimeout(deliver, latency);
      }),
  );
  return {
    data,
    log,
    callWithTimeout,
    // The mocks stand in for the generic bridge methods.
    bridge: { callWithTimeout } as never,
    methods: () => log.map((entry) => entry.method),
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const answer of held.splice(0)) answer();
    },
    setLatency: (ms: number) => void (latency = ms),
  };
}

/** A monitor the test sets the state of. */
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
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
      void (listeners.get(type) ?? listeners.set(type, new Set()).get(type))?.add(listener),
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => void listeners.get(type)?.delete(listener),
    fire: (type: string) =>
      [...(listeners.get(type) ?? [])].forEach((listener) =>
        typeof listener === 'function' ? listener(new Event(type)) : listener.handleEvent(new Event(type)),
      ),
    count: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}
