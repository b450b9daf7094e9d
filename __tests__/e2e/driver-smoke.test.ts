import { afterAll, beforeAll, expect, test } from 'vitest';
import { currentEngine, engineLabel, sharedThreadReason } from './support/driver';
import { createEngineStage, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

let stage: EngineStage;
beforeAll(async () => {
  stage = await createEngineStage();
});
afterAll(() => stage?.close());

test(`in ${engineLabel()}, the driver opens the host, reaches the widget frame, clicks the launcher in the shadow root, types, and reloads`, async () => {
  const { page, widget } = await stage.openHost();
  expect(await widget.evaluate(() => location.origin)).toBe(stage.demo.widgetOrigin);
  expect(await page.url()).toBe(stage.demo.hostUrl);
  await page.click('[data-testid="widget-launcher"]');
  await page.waitFor(() => document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe')?.hidden === false);
  await widget.waitForSelector('[data-testid="chat-input"]', { visible: true });
  await widget.fill('[data-testid="chat-input"]', 'hello');
  expect(await widget.evaluate(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value)).toBe('hello');
  await widget.fill('[data-testid="chat-input"]', 'bye');
  expect(await widget.evaluate(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value)).toBe('bye');
  await page.reload();
  await waitForState(await stage.widgetOf(page), 'connected');
  expect(await widget.evaluate(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value)).toBe('');
});

test(`in ${engineLabel()}, evaluate passes one JSON argument in, awaits the result, and rejects with what the page threw`, async () => {
  const { page, widget } = await stage.openHost();
  expect(await page.evaluate(async (arg) => ({ sum: arg.a + arg.b, list: [arg.a] }), { a: 2, b: 3 })).toEqual({ sum: 5, list: [2] });
  expect(await widget.evaluate((n) => Promise.resolve(n * 2), 21)).toBe(42);
  // Keys a pollution test sends on purpose arrive as own keys, and come back.
  expect(await page.evaluate((message) => Object.keys(message), JSON.parse('{"__proto__":{"x":1},"constructor":"c"}') as object)).toEqual(['__proto__', 'constructor']);
  expect(await page.evaluate(() => undefined)).toBeUndefined();
  await expect(page.evaluate(() => { throw new Error('thrown in the page'); })).rejects.toThrow(/thrown in the page/);
  await expect(page.waitFor(() => false, undefined, { timeout: 300, message: 'something that never happens' })).rejects.toThrow(/something that never happens/);
});

test(`in ${engineLabel()}, tabs of one context share localStorage, another context starts empty, and closing a tab runs its pagehide`, async () => {
  const context = await stage.newContext();
  const { page: first } = await stage.openHost(context);
  const { page: second } = await stage.openHost(context);
  await first.evaluate(() => {
    localStorage.setItem('driver-smoke', 'shared');
    addEventListener('pagehide', () => localStorage.setItem('driver-smoke-pagehide', 'ran'));
  });
  expect(await second.evaluate(() => localStorage.getItem('driver-smoke'))).toBe('shared');
  // As for a user looking at each: the queues flush on `visibilitychange` hidden.
  expect([await first.evaluate(() => document.visibilityState), await second.evaluate(() => document.visibilityState)]).toEqual(['visible', 'visible']);
  await first.close();
  await second.waitFor(() => localStorage.getItem('driver-smoke-pagehide') === 'ran', undefined, { message: 'the closed tab’s pagehide to write localStorage' });
  const { page: elsewhere } = await stage.openHost();
  expect(await elsewhere.evaluate(() => localStorage.getItem('driver-smoke'))).toBeNull();
});

/** What a document sees of the network: `navigator.onLine`, the events so far, and a fetch of `url`. Runs in the page. */
async function networkSeen(url: string): Promise<{ onLine: boolean; events: string[]; fetched: boolean }> {
  const events = ((window as unknown as { smokeNetworkEvents?: string[] }).smokeNetworkEvents ??= []);
  if (!(window as unknown as { smokeListening?: boolean }).smokeListening) {
    (window as unknown as { smokeListening?: boolean }).smokeListening = true;
    addEventListener('offline', () => events.push('offline'));
    addEventListener('online', () => events.push('online'));
  }
  const fetched = await fetch(url, { cache: 'no-store' }).then(
    (response) => response.ok,
    () => false,
  );
  return { onLine: navigator.onLine, events: [...events], fetched };
}

test.skipIf(currentEngine() === 'webkit')(
  `in ${engineLabel()}, setOffline takes the page and its cross-origin frame off the network and back${currentEngine() === 'webkit' ? ' (skipped in WebKit: WebKitWebDriver has no offline emulation)' : ''}`,
  async () => {
    const context = await stage.newContext();
    const { page, widget } = await stage.openHost(context);
    const hostUrl = stage.demo.hostUrl;
    const widgetUrl = await widget.url();
    expect(await page.evaluate(networkSeen, hostUrl)).toEqual({ onLine: true, events: [], fetched: true });
    await context.setOffline(true);
    await page.waitFor(() => !navigator.onLine, undefined, { message: 'navigator.onLine to turn false' });
    expect(await page.evaluate(networkSeen, hostUrl)).toEqual({ onLine: false, events: ['offline'], fetched: false });
    expect(await widget.evaluate(networkSeen, widgetUrl)).toMatchObject({ onLine: false, fetched: false });
    await context.setOffline(false);
    await page.waitFor(() => navigator.onLine, undefined, { message: 'navigator.onLine to turn true' });
    expect(await page.evaluate(networkSeen, hostUrl)).toEqual({ onLine: true, events: ['offline', 'online'], fetched: true });
  },
);

test.skipIf(currentEngine() === 'webkit')(
  `in ${engineLabel()}, a host page busy in a long task ${currentEngine() === 'chromium' ? 'does not stall' : 'stalls'} the widget frame, as capabilities.isolatedFrames says${currentEngine() === 'webkit' ? ' (skipped in WebKit: its WebDriver runs one command at a time, so the order proves nothing)' : ''}`,
  async () => {
    const { page, widget } = await stage.openHost();
    const order: string[] = [];
    const busy = page
      .evaluate(() => {
        const end = Date.now() + 3_000;
        while (Date.now() < end) {
          // A long task on the host page's thread.
        }
      })
      .then(() => order.push('host page free'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await widget.evaluate(() => document.readyState).then(() => order.push('widget answered'));
    await busy;
    expect(order).toEqual(stage.engine.capabilities.isolatedFrames ? ['widget answered', 'host page free'] : ['host page free', 'widget answered']);
    // The reason tests give for skipping a stalled-host case says the same.
    expect(sharedThreadReason() === undefined).toBe(stage.engine.capabilities.isolatedFrames);
  },
);
