import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { inject } from 'vitest';
import { startDemoServers } from '../../../examples/demo/demo-servers';
import type { DemoOptions, RunningDemo } from '../../../examples/demo/demo-servers';
import { startStaticServer } from '../../../examples/demo/static-server';
import type { RunningServer } from '../../../examples/demo/static-server';
import { CHROMIUM_ARGS } from './chromium';

export { CHROMIUM_ARGS };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: inject('chromiumPath'), args: CHROMIUM_ARGS, headless: true });
}

/** The demo (host page + widget origin) and a browser, for one test file. */
export interface Stage {
  readonly browser: Browser;
  readonly demo: RunningDemo;
  readonly hostOrigin: string;
  newContext(): Promise<BrowserContext>;
  /** Opens the host page and waits until the widget reports `connected`. */
  openHost(context?: BrowserContext): Promise<{ page: Page; widget: Frame }>;
  close(): Promise<void>;
}

export async function createStage(options: DemoOptions = {}): Promise<Stage> {
  const demo = await startDemoServers(options);
  const browser = await launchChromium().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  const contexts: BrowserContext[] = [];
  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext();
    contexts.push(context);
    return context;
  };
  return {
    browser,
    demo,
    hostOrigin: new URL(demo.hostUrl).origin,
    newContext,
    async openHost(context) {
      const page = await (context ?? (await newContext())).newPage();
      await page.goto(demo.hostUrl);
      const widget = await widgetFrame(page, demo.widgetOrigin);
      await waitForState(widget, 'connected');
      return { page, widget };
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await browser.close();
      await demo.close();
    },
  };
}

/** The widget's iframe, once it has loaded from the widget origin. */
export async function widgetFrame(page: Page, widgetOrigin: string): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[src^="' + widgetOrigin + '"]', { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('The widget iframe has no frame.');
  await frame.waitForSelector('[data-testid="connection-status"]', { state: 'attached' });
  return frame;
}

export async function waitForState(frame: Frame, state: 'connecting' | 'connected' | 'disconnected', timeout = 10_000): Promise<void> {
  await frame.waitForSelector(`[data-testid="connection-status"][data-state="${state}"]`, { state: 'attached', timeout });
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
