import { wrap } from 'comlink';
import type { Endpoint } from 'comlink';
import { ErrorCode, FramewireError } from '../protocol/errors';
import type { HostMethodArgs, HostMethodResult, HostResult } from '../protocol/host-api';
import { HOST_METHOD_NAMES } from '../protocol/methods';
import type { HostMethodName } from '../protocol/methods';
import { isHostResult, parseReplyMessage } from '../protocol/reply';
import type { Logger } from '../util/logger';
import { createDeadlines } from './deadlines';

/** Calls of host methods over one private port, each with a timeout. */
export interface CallChannel {
  call<M extends HostMethodName>(method: M, args: HostMethodArgs<M>, timeoutMs: number): Promise<HostMethodResult<M>>;
  /** Calls sent and not yet answered. */
  pending(): number;
  /** Rejects every pending call with `reason`, then closes the port. */
  close(reason: FramewireError): void;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: FramewireError): void;
  method: HostMethodName;
  timeoutMs: number;
}

type RemoteMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * comlink over a MessagePort, with what comlink lacks: a timeout per call, answers parsed
 * before comlink sees them, and no pending entry left behind. comlink keeps its pending
 * calls in a private map; when a call times out or the channel closes, the channel hands
 * comlink a settling answer for that id, so comlink's entry goes too.
 */
export function createCallChannel(port: MessagePort, log: Logger): CallChannel {
  const comlinkListeners = new Set<EventListenerOrEventListenerObject>();
  const calls = new Map<string, PendingCall>();
  let lastPostedId: string | null = null;
  let unsent: unknown;
  let closed = false;

  const deliver = (data: unknown): void => {
    // comlink reads only `data`; a DOM MessageEvent would cost more than the call itself.
    const event = { data } as MessageEvent;
    for (const listener of comlinkListeners) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  };

  const endpoint: Endpoint = {
    postMessage(message: { id?: unknown }, transfer?: Transferable[]) {
      if (closed || typeof message.id !== 'string') return;
      try {
        port.postMessage(message, transfer ?? []);
        lastPostedId = message.id;
      } catch (cause) {
        // An argument the browser cannot clone (the types allow none): nothing was sent, so
        // settle comlink's entry for it at once.
        unsent = cause;
        deliver({ id: message.id, type: 'RAW', value: null });
      }
    },
    addEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => void comlinkListeners.add(listener),
    removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) =>
      void comlinkListeners.delete(listener),
    start: () => port.start(),
  };

  const onPortMessage = (event: MessageEvent): void => {
    const reply = parseReplyMessage(event.data);
    if (reply === null) return log('Dropped a message from the host that is not a reply.');
    if (!calls.has(reply.id)) return log('Dropped a reply to a call that is no longer pending.');
    deliver(reply);
  };
  port.addEventListener('message', onPortMessage);
  port.start();

  // Proxies are made once: comlink builds (and registers for finalization) a proxy on
  // every property access.
  const remote = wrap<Record<HostMethodName, RemoteMethod>>(endpoint) as unknown as Record<HostMethodName, RemoteMethod>;
  const methods = Object.fromEntries(HOST_METHOD_NAMES.map((name) => [name, remote[name]])) as Record<
    HostMethodName,
    RemoteMethod
  >;

  /** Ends a call early and settles comlink's own entry for it. */
  const abandon = (id: string, error: FramewireError): void => {
    const entry = calls.get(id);
    if (!entry) return;
    calls.delete(id);
    deadlines.clear(id);
    entry.reject(error);
    deliver({ id, type: 'RAW', value: { ok: false, code: error.code, message: error.message } });
  };

  const deadlines = createDeadlines<string>((id) => {
    const entry = calls.get(id);
    if (entry) abandon(id, new FramewireError(ErrorCode.CONNECTION_TIMEOUT, `${entry.method} got no answer in ${entry.timeoutMs} ms.`));
  });

  const settle = (id: string, answer: unknown): void => {
    const entry = calls.get(id);
    if (!entry) return;
    calls.delete(id);
    deadlines.clear(id);
    const result = answer as HostResult<unknown>;
    if (!result.ok) return entry.reject(new FramewireError(result.code, result.message));
    if (isHostResult(entry.method, result.value)) entry.resolve(result.value);
    else entry.reject(new FramewireError(ErrorCode.INVALID_MESSAGE, `The host answered ${entry.method} with an invalid value.`));
  };

  return {
    call<M extends HostMethodName>(method: M, args: HostMethodArgs<M>, timeoutMs: number) {
      if (closed) {
        return Promise.reject(new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'The connection is closed.'));
      }
      return new Promise<HostMethodResult<M>>((resolve, reject) => {
        lastPostedId = null;
        unsent = undefined;
        const answer = methods[method](...args);
        const id = lastPostedId as string | null;
        if (id === null) {
          const cause = unsent;
          void answer.catch(() => undefined);
          return reject(
            cause === undefined
              ? new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'The call was not sent.')
              : new FramewireError(ErrorCode.INVALID_MESSAGE, `The arguments of ${method} cannot be sent.`, { cause }),
          );
        }
        calls.set(id, { resolve: resolve as (value: unknown) => void, reject, method, timeoutMs });
        deadlines.set(id, timeoutMs);
        answer.then((value) => settle(id, value), (error: unknown) => abandon(id, hostError(error)));
      });
    },
    pending: () => calls.size,
    close(reason) {
      if (closed) return;
      for (const id of [...calls.keys()]) abandon(id, reason);
      deadlines.clearAll();
      closed = true;
      comlinkListeners.clear();
      port.removeEventListener('message', onPortMessage);
      port.close();
    },
  };
}

function hostError(cause: unknown): FramewireError {
  return new FramewireError(ErrorCode.HOST_ERROR, 'The host failed to handle the call.', { cause });
}
