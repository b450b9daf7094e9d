import puppeteer from 'puppeteer-core';
import type { Browser, BrowserContext, ElementHandle, Frame, Page } from 'puppeteer-core';
import { deepElement, deepPresent } from './dom';
import { fromJson, jsonCall } from './json-call';
import { DEFAULT_WAIT_MS, pollEvaluate, sleep } from './poll';
import type { BrowserContextHandle, Engine, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';

/**
 * Preferences that keep Firefox from reaching for the network on a closed machine, on top
 * of those puppeteer already sets (updates, safebrowsing, remote settings server, Shield):
 * without them it stalls on captive-portal, connectivity, telemetry and push connections.
 */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = Object.freeze({
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.aboutHomeSnippets.updateUrl': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.topsites.contile.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
});

/** Deadline of starting Firefox and of one navigation (ms). */
const LAUNCH_TIMEOUT_MS = 60_000;
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
      const element = await elementOf(await target(), selector);
      // Select what is there, delete it, then type: real key events, as a user would.
      await element.evaluate((input) => {
        (input as HTMLInputElement).focus();
        (input as HTMLInputElement).select();
      });
      if (await element.evaluate((input) => (input as HTMLInputElement).value !== '')) await element.press('Backspace');
      if (text !== '') await element.type(text);
      await element.dispose();
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

function wrapContext(context: BrowserContext, pages: Set<Page>, setPageOffline: (page: Page, offline: boolean) => Promise<void>): BrowserContextHandle {
  let offline = false;
  return {
    async newPage() {
      // A window per page, not a tab: a background tab is hidden (visibilitychange, throttled
      // timers), while every page of the other engines stays visible.
      const page = await context.newPage({ type: 'window' });
      page.setDefaultTimeout(DEFAULT_WAIT_MS);
      page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      pages.add(page);
      page.once('close', () => pages.delete(page));
      if (offline) await setPageOffline(page, true);
      return wrapPage(page);
    },
    async setOffline(value) {
      offline = value;
      await Promise.all(Array.from(pages, (page) => setPageOffline(page, value)));
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
 * is a BiDi user context, with storage of its own. puppeteer-core never downloads a browser:
 * it starts the binary it is given.
 */
export async function launchFirefox(executablePath: string): Promise<Engine & { readonly browser: Browser }> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: LAUNCH_TIMEOUT_MS,
  });
  const product = await browser.version();
  const setPageOffline = async (page: Page, offline: boolean): Promise<void> => {
    await page.setOfflineMode(offline);
  };
  return {
    name: 'firefox',
    version: product.replace(/^firefox\//i, 'Firefox '),
    // BiDi's emulation.setNetworkConditions: navigator.onLine, the offline/online events and
    // failing requests, in the page and its cross-origin frames (the smoke test checks it).
    capabilities: { offline: true, cdp: false },
    browser,
    newContext: async () => wrapContext(await browser.createBrowserContext(), new Set(), setPageOffline),
    close: () => browser.close(),
  };
}
