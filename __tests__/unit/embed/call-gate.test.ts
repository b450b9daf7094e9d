import { describe, expect, test, vi } from 'vitest';
import { gatePort } from '../../../lib/embed/call-gate';
import { createLogger } from '../../../lib/util/logger';
import { mockPorts } from '../support/mock-channel';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('gatePort', () => {
  test('passes a valid call to comlink rebuilt, with the widget origin', async () => {
    const { port1, port2 } = mockPorts();
    const gate = gatePort(port1, 'https://widget.example', createLogger('Test', false));
    const seen = vi.fn();
    gate.addEventListener('message', seen);
    gate.start?.();
    port2.postMessage({ id: 'a', type: 'APPLY', path: ['ping'], argumentList: [{ type: 'RAW', value: 1 }] });
    await flush();
    expect(seen).toHaveBeenCalledTimes(1);
    const event = seen.mock.calls[0]?.[0] as MessageEvent;
    expect(event.origin).toBe('https://widget.example');
    expect(event.data).toEqual({ id: 'a', type: 'APPLY', path: ['ping'], argumentList: [{ type: 'RAW', value: 1 }] });
  });

  test('answers a refused message that has an id with INVALID_MESSAGE, and never shows it to comlink', async () => {
    const { port1, port2 } = mockPorts();
    const gate = gatePort(port1, 'https://widget.example', createLogger('Test', false));
    const seen = vi.fn();
    gate.addEventListener('message', seen);
    const replies: unknown[] = [];
    port2.addEventListener('message', (event) => replies.push((event as MessageEvent).data));
    port2.start();
    gate.start?.();
    port2.postMessage({ id: 'b', type: 'SET', path: ['__proto__', 'x'], value: { type: 'RAW', value: 1 } });
    port2.postMessage({ type: 'GET', path: ['constructor'] });
    await flush();
    expect(seen).not.toHaveBeenCalled();
    expect(replies).toEqual([{ id: 'b', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'only method calls are allowed' } }]);
  });

  test('close removes its listener and closes the port', () => {
    const { port1 } = mockPorts();
    const gate = gatePort(port1, 'https://widget.example', createLogger('Test', false));
    expect(port1.listenerCount).toBe(1);
    gate.close();
    expect(port1.listenerCount).toBe(0);
    expect(port1.closed).toBe(true);
  });
});
