import { ErrorCode, FramewireError } from '../protocol/errors';
import { HandshakeAckSchema } from '../protocol/handshake';
import { createHandshakeRequest } from '../protocol/messages';
import type { Logger } from '../util/logger';

export interface HandshakeOptions {
  /** This widget's window, where the ack arrives. */
  self: Window;
  /** The host page's window (`window.parent`). */
  target: Window;
  hostOrigin: string;
  widgetId: string;
  nonce: string;
  /** First resend delay; it doubles up to {@link maxRetryMs}. */
  retryMs: number;
  maxRetryMs: number;
  signal: AbortSignal;
  log: Logger;
}

/**
 * Connects to the host and resolves with the private port it sends.
 *
 * 1. Post the handshake to `target` with targetOrigin = the host origin, never `*`.
 * 2. Accept an answer only from `event.source === target` and `event.origin === hostOrigin`,
 *    that parses as an ack of this nonce and carries exactly one port.
 * 3. Resend until answered (the host's script may start after the widget), backing off.
 * 4. Stop on abort with `CONNECTION_DESTROYED`. Listener and timer are gone either way.
 */
export function shakeHands(options: HandshakeOptions): Promise<MessagePort> {
  const { self, target, hostOrigin, widgetId, nonce, signal, log } = options;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = options.retryMs;

    const cleanup = (): void => {
      clearTimeout(timer);
      self.removeEventListener('message', onMessage);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new FramewireError(ErrorCode.CONNECTION_DESTROYED, 'The connection was destroyed during the handshake.'));
    };
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== target || event.origin !== hostOrigin) return;
      const ack = HandshakeAckSchema.safeParse(event.data);
      const port = event.ports[0];
      if (!ack.success || ack.data.nonce !== nonce || event.ports.length !== 1 || port === undefined) {
        log('Dropped a message from the host that is not the ack of this handshake.');
        return;
      }
      cleanup();
      resolve(port);
    };
    const send = (): void => {
      target.postMessage(createHandshakeRequest(widgetId, nonce), hostOrigin);
      timer = setTimeout(send, delay);
      delay = Math.min(delay * 2, options.maxRetryMs);
    };

    if (signal.aborted) return onAbort();
    self.addEventListener('message', onMessage);
    signal.addEventListener('abort', onAbort);
    send();
  });
}
