import puppeteer from 'puppeteer-core';
import type { Browser, BrowserContext, ElementHandle, Frame, Page } from 'puppeteer-core';
import { deepElement, deepPresent, insertText } from './dom';
import { FIREFOX_START_TIMEOUT_MS, startFirefox } from './firefox-process';
import { fromJson, jsonCall } from './json-call';
import { DEFAULT_WAIT_MS, pollEvaluate, sleep } from './poll';
import type { BrowserContextHandle, Engine, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';

/** Deadline of one navigation (ms). */
const NAVIGATION_TIMEOUT_MS = 30_000;

/** Finds the element of `selector` in `target` (waiting for it) and returns its handle. */
async function elementOf(target: Page | Frame, selector: string): Promise<ElementHandle<Element>> {
  await pollEvaluate((fn, arg) => target.evaluate(fn, arg), deepPresent, { selector, visible: false }, { message: `an element matching ${selector}` });
  const handle = await target.evaluateHandle(deepElement, selector);
  const element = handle.asElement();
  if (!element) throw new Error(`No element matches ${selector}.`);
  return element as ElementHandle<Element>;
}

/** The common document calls over a puppeteer page or frame (found afresh by `target`). */
function puppeteerDocument(target: () => Promise<Page | Frame>): TestDocument {
  const evaluate = async <R, A>(fn: PageFunction<A, R>, arg?: A): Promise<R> => {
    return fromJson<R>(await (await target()).evaluate(jsonCall(fn.toString(), arg)));
  };
  return {
    evaluate,
    waitFor: (fn, arg, options) => pollEvaluate(evaluate, fn, arg as never, options),
    async waitForSelector(selector, options = {}) {
      await pollEvaluate(evaluate, deepPresent, { selector, visible: options.visible ?? false }, {
        timeout: options.timeout ?? DEFAULT_WAIT_MS,
        message: options.message ?? `${options.visible ? 'a visible' : 'an'} element matching ${selector}`,
      });
    },
    async click(selector) {
      const element = await elementOf(await target(), selector);
      await element.click();
      await element.dispose();
    },
    async fill(selector, text) {
      await pollEvaluate(evaluate, deepPresent, { selector, visible: false }, { message: `an input matching ${selector}` });
      if (!(await evaluate(insertText, { selector, text }))) throw new Error(`No input or textarea matches ${selector}.`);
    },
    url: async () => (await target()).url(),
  };
}

function findFrame(page: Page, urlPrefix: string): Frame | undefined {
  return page.frames().find((frame) => frame !== page.mainFrame() && frame.url().startsWith(urlPrefix));
}

function wrapPage(page: Page): TestPage {
  return {
    ...puppeteerDocument(async () => page),
    async goto(url) {
      await page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    },
    async reload() {
      await page.reload({ waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    },
    async frame(urlPrefix, options: WaitOptions = {}) {
      const timeout = options.timeout ?? DEFAULT_WAIT_MS;
      const deadline = Date.now() + timeout;
      const current = async (): Promise<Frame> => {
        for (;;) {
          const frame = findFrame(page, urlPrefix);
          if (frame) return frame;
          if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for a frame at ${urlPrefix}`);
          await sleep(50);
        }
      };
      const first = await current();
      await pollEvaluate((fn, arg) => first.evaluate(fn, arg), () => document.readyState === 'complete', undefined, {
        timeout: Math.max(deadline - Date.now(), 1),
        message: `the frame at ${urlPrefix} to load`,
      });
      const handle: TestFrame = puppeteerDocument(async () => findFrame(page, urlPrefix) ?? current());
      return handle;
    },
    async close() {
      // Closing the browsing context unloads the document: `pagehide` runs.
      if (!page.isClosed()) await page.close();
    },
  };
}

function wrapContext(context: BrowserContext, pages: Set<Page>): BrowserContextHandle {
  let offline = false;
  /** Scripts for every new document: puppeteer adds them per page (BiDi preload scripts of the page's browsing context and its frames). */
  const initScripts: string[] = [];
  return {
    async newPage() {
      // A window per page, not a tab: a background tab is hidden (visibilitychange, throttled
      // timers), while every page of the other engines stays visible.
      const page = await context.newPage({ type: 'window' });
      page.setDefaultTimeout(DEFAULT_WAIT_MS);
      page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      pages.add(page);
      page.once('close', () => pages.delete(page));
      if (offline) await page.setOfflineMode(true);
      for (const source of initScripts) await page.evaluateOnNewDocument(source);
      return wrapPage(page);
    },
    async setOffline(value) {
      offline = value;
      await Promise.all(Array.from(pages, (page) => page.setOfflineMode(value)));
    },
    async addInitScript(source) {
      initScripts.push(source);
      await Promise.all(Array.from(pages, (page) => page.evaluateOnNewDocument(source)));
    },
    async close() {
      // Tabs first, each as a user closes it (so `pagehide` runs), then the user context.
      await Promise.all(Array.from(pages, (page) => (page.isClosed() ? undefined : page.close().catch(() => undefined))));
      await context.close();
    },
  };
}

/**
 * Firefox (Debian's `firefox-esr`) through puppeteer-core over WebDriver BiDi. Each context
 * is a BiDi user context, with storage of its own. With `endpoint` (a Firefox the project's
 * global setup keeps running, see `startFirefox`) it connects to it and leaves it running
 * on close; without, it starts one of its own. Nothing here downloads a browser.
 */
export async function launchFirefox(executablePath: string, endpoint?: string): Promise<Engine & { readonly browser: Browser }> {
  const own = endpoint === undefined ? await startFirefox(executablePath) : undefined;
  const browser = await puppeteer
    .connect({ browserWSEndpoint: endpoint ?? own?.endpoint ?? '', protocol: 'webDriverBiDi', protocolTimeout: FIREFOX_START_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      await own?.close();
      throw error;
    });
  const product = await browser.version();
  const contexts = new Set<BrowserContextHandle>();
  return {
    name: 'firefox',
    version: product.replace(/^firefox\//i, 'Firefox '),
    // BiDi's emulation.setNetworkConditions: navigator.onLine, the offline/online events and
    // failing requests, in the page and its cross-origin frames (the smoke test checks it).
    capabilities: { offline: true, cdp: false, isolatedFrames: false, initScripts: true },
    browser,
    async newContext() {
      const context = wrapContext(await browser.createBrowserContext(), new Set());
      const handle: BrowserContextHandle = {
        ...context,
        async close() {
          contexts.delete(handle);
          await context.close();
        },
      };
      contexts.add(handle);
      return handle;
    },
    async close() {
      await Promise.all(Array.from(contexts, (context) => context.close().catch(() => undefined)));
      // Ending the BiDi session frees Firefox for the next file's; an own Firefox is ended too.
      await browser.disconnect();
      await own?.close();
    },
  };
}
