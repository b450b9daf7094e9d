import { ErrorCode, FramewireError } from '../protocol/errors';
import type { HostMethodArgs, HostMethodResult } from '../protocol/host-api';
import type { HostMethodName } from '../protocol/methods';
import { randomId } from '../util/ids';
import { createLogger } from '../util/logger';
import { normalizeOptions } from '../util/normalize-options';
import { createCallChannel } from './call-channel';
import type { CallChannel } from './call-channel';
import { shakeHands } from './handshake';

export interface BridgeClientOptions {
  widgetId: string;
  /** The host page's origin (see `resolveHostOrigin`). */
  hostOrigin: string;
  /** The host page's window. @default window.parent */
  target?: Window;
  /** This widget's window. @default window */
  self?: Window;
  /** How long a host call may take, waiting for the connection included. @default 5000 */
  callTimeoutMs?: number;
  /** First handshake resend delay; doubles up to `handshakeMaxRetryMs`. @default 250 */
  handshakeRetryMs?: number;
  /** Longest wait between handshake resends. @default 4000 */
  handshakeMaxRetryMs?: number;
  /** Debug lines prefixed `[BridgeClient]`. @default false */
  debug?: boolean;
}

export const DEFAULT_BRIDGE_CLIENT_CONFIG = {
  callTimeoutMs: 5000,
  handshakeRetryMs: 250,
  handshakeMaxRetryMs: 4000,
  debug: false,
} as const;

export type BridgeState = 'connecting' | 'connected' | 'destroyed';

/** The widget's end of the bridge to its host page. */
export interface BridgeClient {
  /** Calls a host method; rejects with a `FramewireError` (`CONNECTION_TIMEOUT`, …). */
  call<M extends HostMethodName>(method: M, ...args: HostMethodArgs<M>): Promise<HostMethodResult<M>>;
  /** {@link call} with its own timeout instead of `callTimeoutMs` (a heartbeat wants a short one). */
  callWithTimeout<M extends HostMethodName>(
    timeoutMs: number,
    method: M,
    ...args: HostMethodArgs<M>
  ): Promise<HostMethodResult<M>>;
  getState(): BridgeState;
  /** Called on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: BridgeState) => void): () => void;
  /**
   * Resolves when connected; rejects with `CONNECTION_DESTROYED` if destroyed first, and with
   * `CONNECTION_TIMEOUT` when not connected within `timeoutMs` (the handshake goes on).
   * @param timeoutMs @default callTimeoutMs
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Drops the current channel (its pending calls reject with `CONNECTION_DESTROYED`) and shakes hands anew. */
  reconnect(): void;
  /** Calls sent and not yet answered. */
  pending(): number;
  /** Rejects pending calls with `CONNECTION_DESTROYED`, closes the port, removes listeners. */
  destroy(): void;
}

function normalize(options: BridgeClientOptions) {
  return normalizeOptions<typeof DEFAULT_BRIDGE_CLIENT_CONFIG, BridgeClientOptions>(DEFAULT_BRIDGE_CLIENT_CONFIG, options);
}

const destroyedError = (): FramewireError =>
  new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'The connection was destroyed.');

/** Connects to the host page right away and keeps one private channel to it. */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const config = normalize(options);
  const self = config.self ?? window;
  const target = config.target ?? self.parent;
  const log = createLogger('BridgeClient', config.debug);
  const listeners = new Set<(state: BridgeState) => void>();

  let state: BridgeState = 'connecting';
  let channel: CallChannel | null = null;
  let attempt: AbortController | null = null;
  let connected: Promise<CallChannel>;

  const setState = (next: BridgeState): void => {
    if (next === state) return;
    state = next;
    log(`State: ${next}.`);
    for (const listener of [...listeners]) listener(next);
  };

  const connect = (): void => {
    attempt?.abort();
    const controller = new AbortController();
    attempt = controller;
    setState('connecting');
    connected = shakeHands({
      self,
      target,
      hostOrigin: config.hostOrigin,
      widgetId: config.widgetId,
      nonce: randomId(),
      retryMs: config.handshakeRetryMs,
      maxRetryMs: config.handshakeMaxRetryMs,
      signal: controller.signal,
      log,
    }).then((port) => {
      channel = createCallChannel(port, log);
      attempt = null;
      setState('connected');
      return channel;
    });
    // Callers observe failures through their own calls; this copy must not go unhandled.
    connected.catch(() => undefined);
  };

  const waitForChannel = (timeoutMs: number): Promise<CallChannel> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, `Not connected within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      connected.then(resolve, reject).finally(() => clearTimeout(timer));
    });

  // Not async: a connected call returns the channel's promise itself, without the extra
  // promise (and microtask turns) an async function would wrap around it.
  const callWithTimeout = <M extends HostMethodName>(
    timeoutMs: number,
    method: M,
    args: HostMethodArgs<M>,
  ): Promise<HostMethodResult<M>> => {
    if (state === 'destroyed') return Promise.reject(destroyedError());
    if (channel) return channel.call(method, args, timeoutMs);
    const start = Date.now();
    return waitForChannel(timeoutMs).then((ready) => ready.call(method, args, Math.max(1, timeoutMs - (Date.now() - start))));
  };

  connect();

  return {
    call: (method, ...args) => callWithTimeout(config.callTimeoutMs, method, args),
    callWithTimeout: (timeoutMs, method, ...args) => callWithTimeout(timeoutMs, method, args),
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    ready: (timeoutMs = config.callTimeoutMs) =>
      state === 'destroyed' ? Promise.reject(destroyedError()) : waitForChannel(timeoutMs).then(() => undefined),
    reconnect() {
      if (state === 'destroyed') return;
      channel?.close(new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'The connection was replaced.'));
      channel = null;
      connect();
    },
    pending: () => channel?.pending() ?? 0,
    destroy() {
      if (state === 'destroyed') return;
      attempt?.abort();
      attempt = null;
      channel?.close(destroyedError());
      channel = null;
      setState('destroyed');
      listeners.clear();
    },
  };
}
