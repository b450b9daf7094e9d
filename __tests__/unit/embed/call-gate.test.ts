import { afterEach, describe, expect, test, vi } from 'vitest';
import { gatePort } from '../../../lib/embed/call-gate';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import { createWidgetFrame } from '../../../lib/embed/dom';
import type { WidgetFrame } from '../../../lib/embed/dom';
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

describe('setAppearance through the gate', () => {
  const good = { accentColor: '#0a7f3f', position: 'bottom-left', launcherLabel: 'Ask us' };
  const frames: WidgetFrame[] = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.destroy();
  });

  /** A mounted widget frame whose host API the gate serves; the launcher's look as CSSOM reads it. */
  function mounted() {
    const resolved = resolveEmbedConfig({ widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html' });
    if (!resolved.ok) throw new Error(resolved.error);
    const frame = createWidgetFrame(document, resolved.config, 'https://host.example');
    frames.push(frame);
    frame.attach();
    const launcher = document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('button');
    if (!launcher) throw new Error('The widget frame did not mount.');
    const served = serve(createHostApi(createNamespacedStorage({ widgetId: 'w' }), undefined, frame.setAppearance));
    const look = () => ({ background: launcher.style.background, left: launcher.style.left, label: launcher.getAttribute('aria-label'), title: frame.iframe.title });
    return { ...served, look };
  }

  test('applies a valid theme and answers null', async () => {
    const { port2, replies, look } = mounted();
    port2.postMessage(apply('a', 'setAppearance', [good]));
    await flush();
    expect(replies).toEqual([{ id: 'a', type: 'RAW', value: { ok: true, value: null } }]);
    expect(look()).toEqual({ background: 'rgb(10, 127, 63)', left: '20px', label: 'Ask us', title: 'Ask us' });
  });

  test.each([
    ['a colour that is not #rrggbb (CSS injection)', { ...good, accentColor: '#0a7f3f;left:0' }],
    ['a named colour', { ...good, accentColor: 'red' }],
    ['a short hex colour', { ...good, accentColor: '#0a7' }],
    ['another corner', { ...good, position: 'top-left' }],
    ['an empty label', { ...good, launcherLabel: '' }],
    ['a label over 40 characters', { ...good, launcherLabel: 'x'.repeat(41) }],
    ['a label with an unpaired surrogate', { ...good, launcherLabel: 'Ask \uD800' }],
    ['an extra key', { ...good, zIndex: 1 }],
    ['a missing key', { accentColor: good.accentColor, position: good.position }],
  ])('refuses %s with INVALID_MESSAGE and changes nothing', async (_, appearance) => {
    const { port2, replies, look } = mounted();
    const before = look();
    port2.postMessage(apply('a', 'setAppearance', [appearance]));
    port2.postMessage(apply('b', 'setAppearance', [good, good]));
    await flush();
    expect(replies).toEqual([
      { id: 'a', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'invalid arguments for setAppearance' } },
      { id: 'b', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'invalid arguments for setAppearance' } },
    ]);
    expect(look()).toEqual(before);
    expect(before.label).toBe('Chat');
  });
});

describe('setUnread through the gate', () => {
  const frames: WidgetFrame[] = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.destroy();
  });

  function mounted() {
    const resolved = resolveEmbedConfig({ widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html' });
    if (!resolved.ok) throw new Error(resolved.error);
    const frame = createWidgetFrame(document, resolved.config, 'https://host.example');
    frames.push(frame);
    frame.attach();
    const badge = document.querySelector('[data-framewire]')?.shadowRoot?.querySelector<HTMLElement>('[data-testid="unread-badge"]');
    if (!badge) throw new Error('The widget frame did not mount.');
    const served = serve(createHostApi(createNamespacedStorage({ widgetId: 'w' }), undefined, frame.setAppearance, frame.setUnread));
    return { ...served, badge };
  }

  test('shows a valid count on the launcher and answers null', async () => {
    const { port2, replies, badge } = mounted();
    port2.postMessage(apply('a', 'setUnread', [7]));
    await flush();
    expect(replies).toEqual([{ id: 'a', type: 'RAW', value: { ok: true, value: null } }]);
    expect({ hidden: badge.hidden, text: badge.textContent }).toEqual({ hidden: false, text: '7' });
  });

  test.each([
    ['a negative count', [-1]],
    ['a fractional count', [1.5]],
    ['a count past MAX_UNREAD', [10_001]],
    ['a string', ['3']],
    ['no count', []],
    ['a second argument', [1, 2]],
  ])('refuses %s with INVALID_MESSAGE and shows nothing', async (_, args) => {
    const { port2, replies, badge } = mounted();
    port2.postMessage(apply('a', 'setUnread', args));
    await flush();
    expect(replies).toEqual([{ id: 'a', type: 'RAW', value: { ok: false, code: 'INVALID_MESSAGE', message: 'invalid arguments for setUnread' } }]);
    expect(badge.hidden).toBe(true);
  });
});
