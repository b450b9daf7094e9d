import type { Endpoint } from 'comlink';
import { ErrorCode } from '../protocol/errors';
import type { HostResult } from '../protocol/host-api';
import { parseCallMessage } from '../protocol/messages';
import type { Logger } from '../util/logger';

/** A comlink endpoint that also closes its port. */
export interface GatedEndpoint extends Endpoint {
  close(): void;
}

/**
 * Puts a gate between a MessagePort and comlink's `expose`: every message is parsed first,
 * and comlink sees only the rebuilt, validated call, never the sender's object. A message
 * that fails is dropped; if it carried an id, the caller gets an `INVALID_MESSAGE` answer
 * at once instead of waiting for its timeout.
 */
export function gatePort(port: MessagePort, origin: string, log: Logger): GatedEndpoint {
  const listeners = new Set<EventListenerOrEventListenerObject>();

  const onMessage = (event: MessageEvent): void => {
    const parsed = parseCallMessage(event.data);
    if (!parsed.ok) {
      log(`Dropped a message: ${parsed.reason}.`);
      if (parsed.id !== null) {
        const value: HostResult<never> = { ok: false, code: ErrorCode.INVALID_MESSAGE, message: parsed.reason };
        port.postMessage({ id: parsed.id, type: 'RAW', value });
      }
      return;
    }
    // A plain object, not a MessageEvent: comlink reads only `data` and `origin`, and
    // constructing a DOM event costs more than the rest of the call's handling.
    const clean = { data: parsed.message, origin } as MessageEvent;
    for (const listener of listeners) {
      if (typeof listener === 'function') listener(clean);
      else listener.handleEvent(clean);
    }
  };
  port.addEventListener('message', onMessage);

  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer ?? []),
    addEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => void listeners.add(listener),
    removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) =>
      void listeners.delete(listener),
    start: () => port.start(),
    close() {
      port.removeEventListener('message', onMessage);
      listeners.clear();
      port.close();
    },
  };
}
