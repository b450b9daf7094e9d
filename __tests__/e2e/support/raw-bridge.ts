import { startStaticServer } from '../../../examples/demo/static-server';
import type { RunningServer } from '../../../examples/demo/static-server';
import type { TestFrame } from './driver';

/*
 * What a compromised widget could do: code evaluated inside the widget's frame that speaks
 * the bridge protocol by hand, bypassing the widget's own client. Ports live on
 * `window.__rawPorts`; calls return the host's reply, or 'no answer' after a timeout.
 */

/**
 * Makes a fresh handshake from inside the widget frame; resolves with the port's index, or
 * with `null` when no ack came within `timeoutMs`.
 */
export function tryRawHandshake(frame: TestFrame, hostOrigin: string, widgetId = 'demo', timeoutMs = 5000): Promise<number | null> {
  return frame.evaluate(
    ({ hostOrigin, widgetId, timeoutMs }) =>
      new Promise<number | null>((resolve) => {
        const w = window as unknown as { __rawPorts?: MessagePort[] };
        const ports = (w.__rawPorts ??= []);
        const nonce = `raw-${Math.random().toString(16).slice(2)}-${Date.now()}`;
        const timer = setTimeout(() => {
          removeEventListener('message', onAck);
          resolve(null);
        }, timeoutMs);
        function onAck(event: MessageEvent): void {
          if ((event.data as { nonce?: string } | null)?.nonce !== nonce) return;
          removeEventListener('message', onAck);
          clearTimeout(timer);
          const port = event.ports[0] as MessagePort;
          port.start();
          resolve(ports.push(port) - 1);
        }
        addEventListener('message', onAck);
        parent.postMessage({ framewire: 1, type: 'handshake', widgetId, nonce }, hostOrigin);
      }),
    { hostOrigin, widgetId, timeoutMs },
  );
}

/** {@link tryRawHandshake} that must be acked: rejects with "no handshake ack" otherwise. */
export async function rawHandshake(frame: TestFrame, hostOrigin: string, widgetId = 'demo'): Promise<number> {
  const port = await tryRawHandshake(frame, hostOrigin, widgetId);
  if (port === null) throw new Error('no handshake ack');
  return port;
}

/**
 * Posts any message on a raw port and waits for the reply with the same id. The message
 * crosses into the page as JSON text: hostile shapes (`__proto__`, an own `toString`) are
 * rebuilt there by `JSON.parse`, as plain data, whatever the engine's argument passing allows.
 */
export function rawSend(frame: TestFrame, portIndex: number, message: Record<string, unknown>, timeoutMs = 1000): Promise<unknown> {
  return frame.evaluate(
    ({ portIndex, json, timeoutMs }) =>
      new Promise<unknown>((resolve) => {
        const message = JSON.parse(json) as { id?: unknown };
        const port = (window as unknown as { __rawPorts: MessagePort[] }).__rawPorts[portIndex] as MessagePort;
        const timer = setTimeout(() => {
          port.removeEventListener('message', onReply);
          resolve('no answer');
        }, timeoutMs);
        function onReply(event: MessageEvent): void {
          if ((event.data as { id?: unknown } | null)?.id !== message.id) return;
          clearTimeout(timer);
          port.removeEventListener('message', onReply);
          resolve(event.data);
        }
        port.addEventListener('message', onReply);
        port.postMessage(message);
      }),
    { portIndex, json: JSON.stringify(message), timeoutMs },
  );
}

let nextId = 0;

/** A comlink APPLY of `method` with plain arguments. */
export function applyMessage(method: string | string[], args: unknown[]): Record<string, unknown> {
  return {
    id: `t${++nextId}`,
    type: 'APPLY',
    path: Array.isArray(method) ? method : [method],
    argumentList: args.map((value) => ({ type: 'RAW', value })),
  };
}

/** Any other comlink message, e.g. `{ type: 'SET', path: ['__proto__', 'x'], value: … }`. */
export function comlinkMessage(fields: Record<string, unknown>): Record<string, unknown> {
  return { id: `t${++nextId}`, ...fields };
}

/** A page on a third origin, for forged-message tests. */
export async function startThirdOrigin(html: string): Promise<{ origin: string; server: RunningServer }> {
  const server = await startStaticServer({
    mounts: {},
    routes: [
      (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
        return true;
      },
    ],
  });
  return { origin: `http://127.0.0.1:${server.port}`, server };
}
