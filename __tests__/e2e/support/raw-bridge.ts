import type { Frame } from 'playwright-core';

/*
 * What a compromised widget could do: code evaluated inside the widget's frame that speaks
 * the bridge protocol by hand, bypassing the widget's own client. Ports live on
 * `window.__rawPorts`; calls return the host's reply, or 'no answer' after a timeout.
 */

/** Makes a fresh handshake from inside the widget frame; resolves with the port's index. */
export function rawHandshake(frame: Frame, hostOrigin: string, widgetId = 'demo'): Promise<number> {
  return frame.evaluate(
    ({ hostOrigin, widgetId }) =>
      new Promise<number>((resolve, reject) => {
        const w = window as unknown as { __rawPorts?: MessagePort[] };
        const ports = (w.__rawPorts ??= []);
        const nonce = `raw-${Math.random().toString(16).slice(2)}-${Date.now()}`;
        const timer = setTimeout(() => reject(new Error('no handshake ack')), 5000);
        addEventListener('message', function onAck(event) {
          if ((event.data as { nonce?: string } | null)?.nonce !== nonce) return;
          removeEventListener('message', onAck);
          clearTimeout(timer);
          const port = event.ports[0] as MessagePort;
          port.start();
          resolve(ports.push(port) - 1);
        });
        parent.postMessage({ framewire: 1, type: 'handshake', widgetId, nonce }, hostOrigin);
      }),
    { hostOrigin, widgetId },
  );
}

/** Posts any message on a raw port and waits for the reply with the same id. */
export function rawSend(frame: Frame, portIndex: number, message: Record<string, unknown>, timeoutMs = 1000): Promise<unknown> {
  return frame.evaluate(
    ({ portIndex, message, timeoutMs }) =>
      new Promise<unknown>((resolve) => {
        const port = (window as unknown as { __rawPorts: MessagePort[] }).__rawPorts[portIndex] as MessagePort;
        const timer = setTimeout(() => {
          port.removeEventListener('message', onReply);
          resolve('no answer');
        }, timeoutMs);
        function onReply(event: MessageEvent): void {
          if ((event.data as { id?: string } | null)?.id !== message.id) return;
          clearTimeout(timer);
          port.removeEventListener('message', onReply);
          resolve(event.data);
        }
        port.addEventListener('message', onReply);
        port.postMessage(message);
      }),
    { portIndex, message, timeoutMs },
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
