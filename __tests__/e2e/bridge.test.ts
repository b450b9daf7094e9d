import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStage, startThirdOrigin, waitForState, widgetFrame } from './support/harness';
import type { Stage } from './support/harness';
import { applyMessage, comlinkMessage, rawHandshake, rawSend } from './support/raw-bridge';

const SESSION_KEY = 'framewire:demo:session_id';

let stage: Stage;
beforeAll(async () => {
  stage = await createStage({ init: { debug: true } });
});
afterAll(() => stage?.close());

const hostItem = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

describe('in Chromium, host page and widget on two origins', () => {
  test('the handshake connects the widget served from the other origin', async () => {
    const { page, widget } = await stage.openHost();
    expect(new URL(page.url()).origin).toBe(stage.hostOrigin);
    expect(new URL(widget.url()).origin).toBe(stage.demo.widgetOrigin);
    expect(stage.hostOrigin).not.toBe(stage.demo.widgetOrigin);
    expect(await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { call(m: string, a: number): Promise<number> } } }).framewireWidget.bridge.call('ping', 42))).toBe(42);
  });

  test('the launcher opens the widget iframe', async () => {
    const { page } = await stage.openHost();
    const iframe = page.locator('iframe[title="Chat"]');
    await expect(iframe.isVisible()).resolves.toBe(false);
    await page.getByTestId('widget-launcher').click();
    await expect(iframe.isVisible()).resolves.toBe(true);
    await page.evaluate(() => (window as unknown as { framewire(c: string): void }).framewire('close'));
    await expect(iframe.isVisible()).resolves.toBe(false);
  });

  test("session_id is in the host's localStorage within 3 s and the same after a reload", async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(stage.demo.hostUrl);
    await page.waitForFunction((key) => localStorage.getItem(key) !== null, SESSION_KEY, { timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(3000);
    const first = await hostItem(page, SESSION_KEY);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);

    await page.reload();
    const widget = await widgetFrame(page, stage.demo.widgetOrigin);
    await widget.waitForSelector(`[data-session-id="${first}"]`, { state: "attached" });
    expect(await hostItem(page, SESSION_KEY)).toBe(first);
  });

  test('an iframe reload makes a new handshake and the widget reconnects with the same session', async () => {
    const { page, widget } = await stage.openHost();
    const sessionId = await hostItem(page, SESSION_KEY);
    await widget.evaluate(() => location.reload());
    const reloaded = await widgetFrame(page, stage.demo.widgetOrigin);
    await waitForState(reloaded, 'connected');
    await reloaded.waitForSelector(`[data-session-id="${sessionId}"]`, { state: "attached" });
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
      const evil = page.frames().find((frame) => frame.url().startsWith(evilOrigin));
      if (!evil) throw new Error('third-party frame missing');

      // Let the widget be mid-handshake while the forged ack arrives, too.
      await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { reconnect(): void } } }).framewireWidget.bridge.reconnect());
      await evil.evaluate(() => (window as unknown as { attack(): void }).attack());
      await waitForState(widget, 'connected');
      await page.waitForTimeout(300);

      expect(await evil.evaluate(() => (window as unknown as { report: unknown }).report)).toEqual({ acks: 0, portMessages: 0 });
      expect(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()))).toBe(before);
      // The widget's own channel was not replaced by the forged handshake.
      expect(await widget.evaluate(() => (window as unknown as { framewireWidget: { bridge: { call(m: string, a: number): Promise<number> } } }).framewireWidget.bridge.call('ping', 9))).toBe(9);
    } finally {
      await server.close();
    }
  });

  test("destroy() leaves no iframe, launcher, message listener or port in the host page", async () => {
    const { page } = await stage.openHost();
    const cdp = await page.context().newCDPSession(page);
    const messageListeners = async (): Promise<number> => {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId as string });
      return listeners.filter((listener) => listener.type === 'message').length;
    };
    const livePorts = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { result: proto } = await cdp.send('Runtime.evaluate', { expression: 'MessagePort.prototype' });
      const group = 'port-count';
      const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId as string, objectGroup: group });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId as string,
        functionDeclaration: 'function () { return this.length; }',
        returnByValue: true,
      });
      // The array of ports must not outlive the count, or it keeps them alive.
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group });
      return result.value as number;
    };

    expect(await messageListeners()).toBe(1);
    expect(await livePorts()).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as { framewire(c: string): void }).framewire('destroy'));

    expect(await page.locator('[data-framewire], iframe').count()).toBe(0);
    expect(await messageListeners()).toBe(0);
    expect(await livePorts()).toBe(0);
  });

  test('opened without a host page, the widget runs standalone on sessionStorage', async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(`${stage.demo.widgetOrigin}/widget.html`);
    const status = page.getByTestId('connection-status');
    await expect(status.getAttribute('data-mode')).resolves.toBe('standalone');
    await page.waitForSelector('[data-session-id]:not([data-session-id=""])');
    const sessionId = await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await page.waitForSelector(`[data-session-id="${sessionId}"]`);
  });
});
