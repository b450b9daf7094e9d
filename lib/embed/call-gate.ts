import { ErrorCode } from '../protocol/errors';
import type { HostApi, HostResult } from '../protocol/host-api';
import { parseCallMessage } from '../protocol/messages';
import type { Logger } from '../util/logger';
import { HOST_FAILURE } from './host-api';

/** A port served by {@link gatePort}. */
export interface GatedPort {
  /** Stops serving: removes the listener and closes the port. */
  close(): void;
}

/**
 * Serves the host API on a private port, one call per message, in comlink's wire format.
 *
 * 1. Every message is parsed first (`parseCallMessage`): only an APPLY of an allowlisted
 *    method, path exactly `[method]`, with plain arguments that pass the method's check.
 * 2. A refused message that carries an id is answered at once with `INVALID_MESSAGE` and
 *    the reason, so the caller does not wait for its timeout; one without an id is dropped.
 *    Either way the port keeps serving.
 * 3. An accepted call runs `api[method](...args)` (a frozen object without prototype: the
 *    six methods are all a name can reach) and its result goes back as
 *    `{ id, type: 'RAW', value }`, as comlink's `expose` would send it. A method that
 *    throws, rejects or returns what the browser cannot clone answers `HOST_ERROR`.
 *
 * comlink's own `expose` is not used: behind this gate it would only walk the one-element
 * path and wrap the result, and it would bring comlink's proxy machinery (1.4 kB gzip) into
 * the embed script.
 */
export function gatePort(port: MessagePort, api: HostApi, log: Logger): GatedPort {
  const answer = (id: string, value: unknown): void => {
    try {
      port.postMessage({ id, type: 'RAW', value });
    } catch {
      port.postMessage({ id, type: 'RAW', value: HOST_FAILURE });
    }
  };
  const onMessage = (event: MessageEvent): void => {
    const parsed = parseCallMessage(event.data);
    if (!parsed.ok) {
      log(`Dropped: ${parsed.reason}.`);
      const refusal: HostResult<never> = { ok: false, code: ErrorCode.INVALID_MESSAGE, message: parsed.reason };
      if (parsed.id !== null) answer(parsed.id, refusal);
      return;
    }
    const { id, method, args } = parsed;
    try {
      const result: unknown = (api[method] as (...args: unknown[]) => unknown)(...args);
      // The host API answers at once; a promise (a wrapped or test API) is waited for.
      if (result instanceof Promise) result.then((value) => answer(id, value), () => answer(id, HOST_FAILURE));
      else answer(id, result);
    } catch {
      answer(id, HOST_FAILURE);
    }
  };
  port.addEventListener('message', onMessage);
  port.start();
  return {
    close() {
      port.removeEventListener('message', onMessage);
      port.close();
    },
  };
}
