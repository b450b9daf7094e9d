import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { fromJson, jsonCall } from './json-call';
import { DEFAULT_WAIT_MS, pollEvaluate } from './poll';
import type { BrowserContextHandle, Engine, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';

/**
 * Flags that keep Chromium from reaching for the network on a closed machine (otherwise it
 * stalls on its own background connections) and let it run as root in a container.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The common document calls over a playwright page or frame (found afresh by `target`). */
function playwrightDocument(target: () => Promise<Page | Frame>): TestDocument {
  const evaluate = async <R, A>(fn: PageFunction<A, R>, arg?: A): Promise<R> => {
    return fromJson<R>(await (await target()).evaluate(jsonCall(fn.toString(), arg)));
  };
  return {
    evaluate,
    waitFor: (fn, arg, options) => pollEvaluate(evaluate, fn, arg as never, options),
    async waitForSelector(selector, options = {}) {
      await (await target()).waitForSelector(selector, {
        state: options.visible ? 'visible' : 'attached',
        timeout: options.timeout ?? DEFAULT_WAIT_MS,
      });
    },
    async click(selector) {
      await (await target()).locator(selector).first().click({ timeout: DEFAULT_WAIT_MS });
    },
    async fill(selector, text) {
      await (await target()).locator(selector).first().fill(text, { timeout: DEFAULT_WAIT_MS });
    },
    url: async () => (await target()).url(),
  };
}

function findFrame(page: Page, urlPrefix: string): Frame | undefined {
  return page.frames().find((frame) => frame !== page.mainFrame() && frame.url().startsWith(urlPrefix));
}

function wrapPage(page: Page): TestPage {
  return {
    ...playwrightDocument(async () => page),
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    async frame(urlPrefix, options: WaitOptions = {}) {
      const timeout = options.timeout ?? DEFAULT_WAIT_MS;
      const deadline = Date.now() + timeout;
      const current = async (): Promise<Frame> => {
        for (;;) {
          const frame = findFrame(page, urlPrefix);
          if (frame) return frame;
          if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for a frame at ${urlPrefix}`);
          await page.waitForTimeout(50);
        }
      };
      const first = await current();
      await first.waitForLoadState('load', { timeout });
      const handle: TestFrame = playwrightDocument(async () => findFrame(page, urlPrefix) ?? current());
      return handle;
    },
    async close() {
      await page.close({ runBeforeUnload: true });
    },
  };
}

function wrapContext(context: BrowserContext): BrowserContextHandle {
  return {
    newPage: async () => wrapPage(await context.newPage()),
    setOffline: (offline) => context.setOffline(offline),
    async addInitScript(source) {
      await context.addInitScript({ content: source });
    },
    close: () => context.close(),
  };
}

/** Chromium through playwright-core, with the DevTools protocol and offline emulation. */
export async function launchChromium(executablePath: string): Promise<Engine & { readonly browser: Browser }> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    capabilities: { offline: true, cdp: true, isolatedFrames: true, initScripts: true },
    browser,
    newContext: async () => wrapContext(await browser.newContext()),
    close: () => browser.close(),
  };
}
