import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { currentEngine, engineLabel, sleep } from './support/driver';
import type { TestDocument, TestPage } from './support/driver';
import { applyMessage, comlinkMessage, rawHandshake, rawSend, startThirdOrigin, tryRawHandshake } from './support/raw-bridge';
import { createEngineStage, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

const SESSION_KEY = 'framewire:demo:session_id';

let stage: EngineStage;
beforeAll(async () => {
  stage = await createEngineStage({ init: { debug: true } });
});
afterAll(() => stage?.close());

/** Only the Chromium driver reaches the DevTools protocol (`capabilities.cdp`); known before the browser starts, for test names. */
const HAS_CDP = currentEngine() === 'chromium';

/** What the listener and port counts need of a DevTools protocol session (playwright's `CDPSession`). */
interface DevToolsSession {
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
}

/** The part of a playwright browser that finds a page's DevTools session. */
interface DevToolsBrowser {
  contexts(): { pages(): { evaluate<R>(fn: () => R): Promise<R> }[]; newCDPSession(page: unknown): Promise<DevToolsSession> }[];
}

/**
 * A DevTools session on `page`, where the engine offers one (`capabilities.cdp`: the
 * Chromium driver keeps its playwright browser on the engine). The driver hides the
 * playwright page, so it is found by a mark set through `evaluate`.
 */
async function devToolsSessionOf(page: TestPage): Promise<DevToolsSession> {
  const browser = (stage.engine as unknown as { browser?: DevToolsBrowser }).browser;
  if (!stage.engine.capabilities.cdp || !browser) throw new Error(`${stage.engine.version} offers no DevTools protocol session.`);
  const mark = `devtools-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  await page.evaluate((value) => {
    (window as unknown as { devToolsMark?: string }).devToolsMark = value;
  }, mark);
  for (const context of browser.contexts()) {
    for (const candidate of context.pages()) {
      const found = await candidate.evaluate(() => (window as unknown as { devToolsMark?: string }).devToolsMark).catch(() => undefined);
      if (found === mark) return context.newCDPSession(candidate);
    }
  }
  throw new Error('The page is not among the browser’s pages.');
}

const hostItem = (page: TestPage, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

/** How many elements match `selector` in the document and its open shadow roots. */
const countDeep = (document_: TestDocument, selector: string): Promise<number> =>
  document_.evaluate((sel) => {
    const count = (root: Document | ShadowRoot): number =>
      root.querySelectorAll(sel).length +
      Array.from(root.querySelectorAll('*')).reduce((sum, element) => sum + (element.shadowRoot ? count(element.shadowRoot) : 0), 0);
    return count(document);
  }, selector);

/** Whether the first element matching `selector` (open shadow roots pierced) is rendered: a box, not `visibility: hidden`. */
const isVisibleDeep = (document_: TestDocument, selector: string): Promise<boolean> =>
  document_.evaluate((sel) => {
    const find = (root: Document | ShadowRoot): Element | null => {
      const found = root.querySelector(sel);
      if (found) return found;
      for (const element of Array.from(root.querySelectorAll('*'))) {
        const inner = element.shadowRoot ? find(element.shadowRoot) : null;
        if (inner) return inner;
      }
      return null;
    };
    const element = find(document);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
  }, selector);

const callFramewire = (page: TestPage, ...command: unknown[]): Promise<void> =>
  page.evaluate((args) => (window as unknown as { framewire(...c: unknown[]): void }).framewire(...args), command);

describe(`in ${engineLabel()}, host page and widget on two origins`, () => {
  test('the handshake connects the widget served from the other origin', async () => {
    const { page, widget } = await stage.openHost();
    expect(new URL(await page.url()).origin).toBe(stage.hostOrigin);
    expect(new URL(await widget.url()).origin).toBe(stage.demo.widgetOrigin);
    expect(stage.hostOrigin).not.toBe(stage.demo.widgetOrigin);
    expect(await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { call(m: string, a: number): Promise<number> } } }).framewireWidget.bridge.call('ping', 42))).toBe(42);
  });

  test('the launcher opens the widget iframe', async () => {
    const { page } = await stage.openHost();
    const iframe = 'iframe[title="Chat"]';
    expect(await countDeep(page, iframe)).toBe(1);
    expect(await isVisibleDeep(page, iframe)).toBe(false);
    await page.click('[data-testid="widget-launcher"]');
    expect(await isVisibleDeep(page, iframe)).toBe(true);
    await callFramewire(page, 'close');
    expect(await isVisibleDeep(page, iframe)).toBe(false);
  });

  test("session_id is in the host's localStorage within 3 s and the same after a reload", async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(stage.demo.hostUrl);
    // Timed by the page's clock from the start of its navigation (the moment it is seen, so
    // at most that late), not by the driver's: its round trips differ between engines.
    const seenAt = await page.waitFor((key) => localStorage.getItem(key) !== null && Math.max(1, performance.now()), SESSION_KEY, { timeout: 3000 });
    expect(seenAt).toBeLessThan(3000);
    const first = await hostItem(page, SESSION_KEY);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);

    await page.reload();
    const widget = await stage.widgetOf(page);
    await widget.waitForSelector(`[data-session-id="${first}"]`);
    expect(await hostItem(page, SESSION_KEY)).toBe(first);
  });

  test('an iframe reload makes a new handshake and the widget reconnects with the same session', async () => {
    const { page, widget } = await stage.openHost();
    const sessionId = await hostItem(page, SESSION_KEY);
    await widget.evaluate(() => location.reload());
    const reloaded = await stage.widgetOf(page);
    await waitForState(reloaded, 'connected');
    await reloaded.waitForSelector(`[data-session-id="${sessionId}"]`);
  });

  test('a new handshake closes the previous port: calls on it get no answer', async () => {
    const { widget } = await stage.openHost();
    const first = await rawHandshake(widget, stage.hostOrigin);
    expect(await rawSend(widget, first, applyMessage('ping', [1]))).toMatchObject({ type: 'RAW', value: { ok: true, value: 1 } });
    const second = await rawHandshake(widget, stage.hostOrigin);
    expect(await rawSend(widget, second, applyMessage('ping', [2]))).toMatchObject({ value: { ok: true, value: 2 } });
    expect(await rawSend(widget, first, applyMessage('ping', [3]), 700)).toBe('no answer');
  });

  test('calls pending across a reconnect reject with CONNECTION_DESTROYED and later calls work', async () => {
    const { widget } = await stage.openHost();
    const outcome = await widget.evaluate(async () => {
      const { bridge } = (window as unknown as { framewireWidget: { bridge: { call(m: string, ...a: unknown[]): Promise<unknown>; reconnect(): void; pending(): number } } }).framewireWidget;
      const pending = bridge.call('getItem', 'session_id').then(
        () => 'resolved',
        (error: { code?: string }) => error.code,
      );
      bridge.reconnect();
      const across = await pending;
      const after = await bridge.call('ping', 7);
      return { across, after, left: bridge.pending() };
    });
    expect(outcome).toEqual({ across: 'CONNECTION_DESTROYED', after: 7, left: 0 });
  });

  test("the widget cannot read, write or pollute anything outside its namespace", async () => {
    const { page, widget } = await stage.openHost();
    await page.evaluate(() => {
      localStorage.setItem('secret', 'host-secret');
      localStorage.setItem('framewire:other:token', 'other-widget');
    });
    const port = await rawHandshake(widget, stage.hostOrigin);
    const call = (method: string | string[], args: unknown[]) => rawSend(widget, port, applyMessage(method, args));

    expect(await call('getItem', ['secret'])).toMatchObject({ value: { ok: true, value: null } });
    expect(await call('getItem', ['../secret'])).toMatchObject({ value: { ok: true, value: null } });
    expect(await call('setItem', ['secret', 'pwned'])).toMatchObject({ value: { ok: true } });
    expect(await call('removeItem', ['secret'])).toMatchObject({ value: { ok: true } });
    expect(await call('setItem', ['big', 'x'.repeat(64 * 1024 + 1)])).toMatchObject({ value: { ok: false, code: 'QUOTA_EXCEEDED' } });
    expect(await call('setItem', ['k'.repeat(129), 'v'])).toMatchObject({ value: { ok: false, code: 'QUOTA_EXCEEDED' } });

    const refused = [
      comlinkMessage({ type: 'SET', path: ['__proto__', 'polluted'], value: { type: 'RAW', value: 'yes' } }),
      comlinkMessage({ type: 'GET', path: ['constructor'] }),
      comlinkMessage({ type: 'CONSTRUCT', path: ['getItem'], argumentList: [] }),
      comlinkMessage({ type: 'ENDPOINT' }),
      comlinkMessage({ type: 'RELEASE' }),
      applyMessage(['__proto__', 'toString'], []),
      applyMessage(['constructor', 'prototype', 'getItem'], []),
      applyMessage('clear', []),
      applyMessage('getItem', [{ toString: 'secret' }]),
    ];
    for (const message of refused) {
      expect(await rawSend(widget, port, message)).toMatchObject({ value: { ok: false, code: 'INVALID_MESSAGE' } });
    }
    // The port is still served after all that.
    expect(await call('ping', [5])).toMatchObject({ value: { ok: true, value: 5 } });

    const host = await page.evaluate(() => ({
      secret: localStorage.getItem('secret'),
      other: localStorage.getItem('framewire:other:token'),
      polluted: (Object.prototype as Record<string, unknown>).polluted ?? null,
      widgetKeys: Object.keys(localStorage).filter((key) => !key.startsWith('framewire:demo:')).sort(),
    }));
    expect(host).toEqual({ secret: 'host-secret', other: 'other-widget', polluted: null, widgetKeys: ['framewire:other:token', 'secret'] });
  });

  test('a third frame on another origin cannot connect or forge messages to the host or the widget', async () => {
    const { page, widget } = await stage.openHost();
    const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
    const { origin: evilOrigin, server } = await startThirdOrigin(`<!doctype html><script>
      const host = ${JSON.stringify(stage.hostOrigin)}, widget = ${JSON.stringify(stage.demo.widgetOrigin)};
      window.report = { acks: 0, portMessages: 0 };
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => { report.portMessages++; };
      addEventListener('message', (e) => { if (e.data && e.data.type === 'handshake-ack') report.acks++; });
      window.attack = () => {
        // To the host: a handshake in the widget's name, the seed's storage messages, comlink calls.
        parent.postMessage({ framewire: 1, type: 'handshake', widgetId: 'demo', nonce: 'forged-nonce-1' }, host);
        parent.postMessage({ type: 'saveToParentStorage', key: 'framewire:demo:session_id', value: 'forged' }, host);
        parent.postMessage({ type: 'removeFromParentStorage', key: 'framewire:demo:session_id' }, host);
        parent.postMessage({ id: 'x', type: 'APPLY', path: ['setItem'], argumentList: [{ type: 'RAW', value: 'session_id' }, { type: 'RAW', value: 'forged' }] }, host);
        // To the widget: a forged ack carrying the attacker's port, and a forged pong.
        const target = parent.frames[0];
        target.postMessage({ framewire: 1, type: 'handshake-ack', nonce: 'forged-nonce-1' }, widget, [port2]);
        target.postMessage({ type: 'pong', pingTime: Date.now() }, widget);
      };
    </script>`);
    try {
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        frame.id = 'third-party';
        document.body.append(frame);
        return new Promise((resolve) => frame.addEventListener('load', resolve));
      }, `${evilOrigin}/evil.html`);
      const evil = await page.frame(`${evilOrigin}/evil.html`);

      // Let the widget be mid-handshake while the forged ack arrives, too.
      await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { reconnect(): void } } }).framewireWidget.bridge.reconnect());
      await evil.evaluate(() => (window as unknown as { attack(): void }).attack());
      await waitForState(widget, 'connected');
      await sleep(300);

      expect(await evil.evaluate(() => (window as unknown as { report: unknown }).report)).toEqual({ acks: 0, portMessages: 0 });
      expect(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()))).toBe(before);
      // The widget's own channel was not replaced by the forged handshake.
      expect(await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { call(m: string, a: number): Promise<number> } } }).framewireWidget.bridge.call('ping', 9))).toBe(9);
    } finally {
      await server.close();
    }
  });

  test.skipIf(!HAS_CDP)(
    `destroy() leaves no iframe, launcher, message listener or port in the host page${HAS_CDP ? '' : ` (skipped in ${engineLabel()}: listener and port counts need the DevTools protocol)`}`,
    async () => {
      expect(stage.engine.capabilities.cdp).toBe(true);
      const { page } = await stage.openHost();
      const cdp = await devToolsSessionOf(page);
      const messageListeners = async (): Promise<number> => {
        const { result } = await cdp.send<{ result: { objectId?: string } }>('Runtime.evaluate', { expression: 'window' });
        const { listeners } = await cdp.send<{ listeners: { type: string }[] }>('DOMDebugger.getEventListeners', { objectId: result.objectId });
        return listeners.filter((listener) => listener.type === 'message').length;
      };
      const livePorts = async (): Promise<number> => {
        await cdp.send('HeapProfiler.collectGarbage');
        const { result: proto } = await cdp.send<{ result: { objectId?: string } }>('Runtime.evaluate', { expression: 'MessagePort.prototype' });
        const group = 'port-count';
        const { objects } = await cdp.send<{ objects: { objectId?: string } }>('Runtime.queryObjects', { prototypeObjectId: proto.objectId, objectGroup: group });
        const { result } = await cdp.send<{ result: { value?: unknown } }>('Runtime.callFunctionOn', {
          objectId: objects.objectId,
          functionDeclaration: 'function () { return this.length; }',
          returnByValue: true,
        });
        // The array of ports must not outlive the count, or it keeps them alive.
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group });
        return result.value as number;
      };

      expect(await messageListeners()).toBe(1);
      expect(await livePorts()).toBeGreaterThan(0);
      await callFramewire(page, 'destroy');

      expect(await countDeep(page, '[data-framewire], iframe')).toBe(0);
      expect(await messageListeners()).toBe(0);
      expect(await livePorts()).toBe(0);
    },
  );

  test('after destroy() the host page has no iframe or launcher, answers no handshake, and a later init mounts the widget again', async () => {
    const { page, widget } = await stage.openHost();
    // The control: while mounted, the host acks a handshake from the widget's window.
    expect(await tryRawHandshake(widget, stage.hostOrigin, 'demo', 2000)).not.toBeNull();
    // Keep the widget's iframe element: it is the one window the destroyed bridge would accept.
    await page.evaluate(() => {
      const w = window as unknown as { oldWidgetFrame?: HTMLIFrameElement | null | undefined };
      w.oldWidgetFrame = document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe');
    });
    await callFramewire(page, 'destroy');

    expect(await countDeep(page, '[data-framewire], iframe, [data-testid="widget-launcher"]')).toBe(0);
    expect(await page.evaluate(() => typeof (window as unknown as { framewire?: unknown }).framewire)).toBe('function');

    // Put the old iframe back: its widget loads again and handshakes, and so does a forged
    // handshake from its window. Nothing in the host answers either. (The bridge knows the
    // iframe by its window, not its address: a marked address tells the frames apart here.)
    await page.evaluate(() => {
      const frame = (window as unknown as { oldWidgetFrame: HTMLIFrameElement }).oldWidgetFrame;
      frame.src = frame.src.replace('/widget.html?', '/widget.html?orphan=1&');
      document.body.append(frame);
    });
    const orphan = await page.frame(`${stage.demo.widgetOrigin}/widget.html?orphan=1&`);
    await orphan.waitForSelector('[data-testid="connection-status"]');
    expect(await tryRawHandshake(orphan, stage.hostOrigin, 'demo', 1500)).toBeNull();
    expect(await orphan.evaluate(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state'))).not.toBe('connected');
    await page.evaluate(() => (window as unknown as { oldWidgetFrame: HTMLIFrameElement }).oldWidgetFrame.remove());

    await callFramewire(page, 'init', { widgetId: 'demo', widgetUrl: `${stage.demo.widgetOrigin}/widget.html`, debug: true });
    await waitForState(await page.frame(`${stage.demo.widgetOrigin}/widget.html?widgetId=`), 'connected');
    expect(await countDeep(page, '[data-framewire]')).toBe(1);
    expect(await countDeep(page, '[data-testid="widget-launcher"]')).toBe(1);
  });

  test('opened without a host page, the widget runs standalone on sessionStorage', async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(`${stage.demo.widgetOrigin}/widget.html`);
    await page.waitForSelector('[data-testid="connection-status"]');
    expect(await page.evaluate(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-mode'))).toBe('standalone');
    await page.waitForSelector('[data-session-id]:not([data-session-id=""])');
    const sessionId = await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await page.waitForSelector(`[data-session-id="${sessionId}"]`);
  });
});
