import { createHandshakeAck, parseHandshakeRequest } from '../protocol/messages';
import type { HostApi } from '../protocol/host-api';
import type { Logger } from '../util/logger';
import { gatePort } from './call-gate';
import type { GatedPort } from './call-gate';

export interface HostBridgeOptions {
  /** The host page's window, where the handshake arrives. */
  window: Window;
  /** The widget's iframe: only its window may connect. */
  iframe: HTMLIFrameElement;
  /** The widget's origin, e.g. `https://widget.example`. */
  widgetOrigin: string;
  widgetId: string;
  api: HostApi;
  log: Logger;
}

export interface HostBridge {
  /** How many handshakes were accepted (an iframe reload makes one more). */
  connections(): number;
  /** Closes the port and removes the listener. */
  destroy(): void;
}

/**
 * Serves the host API to one widget iframe.
 *
 * 1. Listen for `message` on the host window.
 * 2. Ignore it unless `event.source` is the iframe's window and `event.origin` is the
 *    widget origin: no other frame, on any origin, can connect.
 * 3. Parse it as a handshake for this widget id; anything else is dropped.
 * 4. A repeated nonce is the widget resending the same handshake: ignore it.
 * 5. Close the previous port (an iframe reload or a reconnect replaces it).
 * 6. Create a MessageChannel, serve the API on one end through the call gate, and
 *    transfer the other end in the ack, posted to the widget origin only.
 */
export function createHostBridge(options: HostBridgeOptions): HostBridge {
  const { window: host, iframe, widgetOrigin, widgetId, api, log } = options;
  let gate: GatedPort | null = null;
  let lastNonce: string | null = null;
  let accepted = 0;

  const onMessage = (event: MessageEvent): void => {
    const widgetWindow = iframe.contentWindow;
    if (widgetWindow === null || event.source !== widgetWindow || event.origin !== widgetOrigin) return;
    const request = parseHandshakeRequest(event.data);
    if (request === null || request.widgetId !== widgetId) {
      log('Dropped: not a handshake.');
      return;
    }
    if (request.nonce === lastNonce) return;

    gate?.close();
    const channel = new MessageChannel();
    gate = gatePort(channel.port1, api, log);
    lastNonce = request.nonce;
    accepted += 1;
    widgetWindow.postMessage(createHandshakeAck(request.nonce), widgetOrigin, [channel.port2]);
    log(`Connected (handshake ${accepted}).`);
  };
  host.addEventListener('message', onMessage);

  return {
    connections: () => accepted,
    destroy() {
      host.removeEventListener('message', onMessage);
      gate?.close();
      gate = null;
    },
  };
}
