import { describe, expect, test, vi } from 'vitest';
import { gatePort } from '../../../lib/embed/call-gate';
import { createHostApi } from '../../../lib/embed/host-api';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import type { HostApi } from '../../../lib/protocol/host-api';
import { createLogger } from '../../../lib/util/logger';
import { mockPorts } from '../support/mock-channel';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The gate on port1 serving `api`; what comes back on port2 is collected in `replies`. */
function serve(api: HostApi = createHostApi(createNamespacedStorage({ widgetId: 'w' }))) {
  const { port1, port2 } = mockPorts();
  const gate = gatePort(port1, api, createLogger('Test', false));
  const replies: unknown[] = [];
  port2.addEventListener('message', (event) => replies.push((event as MessageEvent).data));
  port2.start();
  return { port1, port2, gate, replies };
}

const apply = (id: string, method: string, args: unknown[]) => ({
  id,
  type: 'APPLY',
  path: [method],
  argumentList: args.map((value) => ({ type: 'RAW', value })),
});

describe('gatePort', () => {
  test('answers a valid call with the method result, in the wire format comlink uses', async () => {
    const { port2, replies } = serve();
    port2.postMessage(apply('a', 'ping', [7]));
    port2.postMessage(apply('b', 'setItem', ['k', 'v']));
    port2.postMessage(apply('c', 'getItem', ['k']));
    await flush();
    expect(replies).toEqual([
      { id: 'a', type: 'RAW', value: { ok: true, value: 7 } },
      { id: 'b', type: 'RAW', value: { ok: true, value: null } },
      { id: 'c', type: 'RAW', value: { ok: true, value: 'v' } },
    ]);
  });

  test('hands the method only the plain argument values, never the wire objects', async () => {
    const ping = vi.fn((time: number) => ({ ok: true as const, value: time }));
    const api = Object.assign(Object.create(null) as HostApi, createHostApi(createNamespacedStorage({ widgetId: 'w' })), { ping });
    const { port2 } = serve(api);
    port2.postMessage(apply('a', 'ping', [3]));
    await flush();
    expect(ping).toHaveBeenCalledWith(3);
  });

  test('answers a refused message that has an id with INVALID_MESSAGE, and never runs a method', async () => {
    const getItem = vi.fn();
    const api = Object.assign(Object.create(null) as HostApi, createHostApi(createNamespacedStorage({ widgetId: 'w' })), { getItem });
    const { port2, replies } = serve(api);
    port2.postMessage({ id: 'b', type: 'SET', path: ['__proto__', 'x'], value: { type: 'RAW', value: 1 } });
    port2.postMessage({ type: 'GET', path: ['constructor'] });
    port2.postMessage(apply('c', 'getItem', [{ toString: 'k' }]));
    await flush();
    expect(getItem).not.toHaveBeenCalled();
    expect(replies).toEqual([
      { id: 'b', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'only method calls are allowed' } },
      { id: 'c', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'invalid arguments for getItem' } },
    ]);
  });

  test('answers HOST_ERROR when a method throws, rejects or returns what cannot be cloned', async () => {
    const base = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    const api = Object.assign(Object.create(null) as HostApi, base, {
      ping: () => {
        throw new Error('internal detail');
      },
      getItem: () => Promise.reject(new Error('internal detail')),
      removeItem: () => ({ ok: true, value: () => null }),
    });
    const { port2, replies } = serve(api);
    port2.postMessage(apply('a', 'ping', [1]));
    port2.postMessage(apply('b', 'getItem', ['k']));
    port2.postMessage(apply('c', 'removeItem', ['k']));
    await flush();
    const failure = { ok: false, code: 'HOST_ERROR', message: 'The host failed to handle the call.' };
    expect(replies).toEqual([
      { id: 'a', type: 'RAW', value: failure },
      { id: 'c', type: 'RAW', value: failure },
      { id: 'b', type: 'RAW', value: failure },
    ]);
  });

  test('waits for a method that answers with a promise', async () => {
    let release: (() => void) | undefined;
    const base = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    const api = Object.assign(Object.create(null) as HostApi, base, {
      getItem: () => new Promise((resolve) => (release = () => resolve({ ok: true, value: 'late' }))),
    });
    const { port2, replies } = serve(api);
    port2.postMessage(apply('a', 'getItem', ['k']));
    await flush();
    expect(replies).toEqual([]);
    release?.();
    await flush();
    expect(replies).toEqual([{ id: 'a', type: 'RAW', value: { ok: true, value: 'late' } }]);
  });

  test('close removes its listener and closes the port', () => {
    const { port1, gate } = serve();
    expect(port1.listenerCount).toBe(1);
    gate.close();
    expect(port1.listenerCount).toBe(0);
    expect(port1.closed).toBe(true);
  });
});
