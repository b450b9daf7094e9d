import { deepElement, deepPresent, domClick, insertText } from './dom';
import { DEFAULT_WAIT_MS, pollEvaluate } from './poll';
import { freePort } from '../../../support/free-port';
import { exited, spawnGroup, startXvfb, waitUntilUp } from './processes';
import type { GroupProcess, VirtualDisplay } from './processes';
import type { BrowserContextHandle, Engine, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';
import { isElementReference, webDriverCommand, WebDriverError, ELEMENT_KEY } from './webdriver-client';
import type { ElementReference } from './webdriver-client';

/** Debian's binaries the WebKit engine runs (the browser, MiniBrowser, is passed in). */
export const WEBKIT_BINARIES = Object.freeze({
  /** WebKitGTK's WebDriver server (package `webkit2gtk-driver`). */
  webDriver: '/usr/bin/WebKitWebDriver',
  /** The virtual display MiniBrowser draws on: it has no headless mode (package `xvfb`). */
  xvfb: '/usr/bin/Xvfb',
});

/** Deadlines (ms): a navigation, a script run in the page, a new session (MiniBrowser start). */
const NAVIGATION_TIMEOUT_MS = 30_000;
const SCRIPT_TIMEOUT_MS = 30_000;
const SESSION_TIMEOUT_MS = 30_000;
/** Frames inside frames are searched this deep. */
const MAX_FRAME_DEPTH = 3;

/** One WebKitWebDriver with its one session: WebKitWebDriver holds a single session at a time. */
interface Session {
  readonly base: string;
  readonly version: string;
  /** The window the session opened with; kept open so that closing the last tab does not end the session. */
  readonly homeWindow: string;
  /** Runs `task` after every task queued before it: tabs and frames share the session's one current context. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /**
   * The window and frame the session's commands go to now, as far as this client knows;
   * cleared whenever that is unsure (a failure, a closed window).
   */
  position: { window?: string; framePrefix?: string };
  command<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Where a document call runs: a tab, and optionally the frame in it whose URL starts with a prefix. */
interface Place {
  readonly window: string;
  readonly framePrefix?: string;
}

async function startSession(browserPath: string, display: VirtualDisplay): Promise<Session> {
  const port = await freePort();
  const driver: GroupProcess = spawnGroup(WEBKIT_BINARIES.webDriver, [`--port=${port}`, '--host=local'], { ...process.env, DISPLAY: display.display }, ['ignore', 'ignore', 'ignore']);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(
      `WebKitWebDriver on port ${port}`,
      async () => (await webDriverCommand<{ ready?: boolean }>(base, 'GET', '/status', undefined, 2_000)).ready === true,
      () => exited(driver.child),
    );
    const created = await webDriverCommand<{ sessionId: string; capabilities: { browserVersion?: string } }>(
      base,
      'POST',
      '/session',
      {
        capabilities: {
          alwaysMatch: {
            browserName: 'MiniBrowser',
            pageLoadStrategy: 'normal',
            timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: NAVIGATION_TIMEOUT_MS, implicit: 0 },
            'webkitgtk:browserOptions': { binary: browserPath, args: ['--automation'] },
          },
        },
      },
      SESSION_TIMEOUT_MS,
    );
    const sessionBase = `${base}/session/${created.sessionId}`;
    const command = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs?: number): Promise<T> =>
      webDriverCommand<T>(sessionBase, method, path, body, timeoutMs);
    const homeWindow = await command<string>('GET', '/window');
    let queue: Promise<unknown> = Promise.resolve();
    return {
      base: sessionBase,
      version: created.capabilities.browserVersion ?? 'unknown',
      homeWindow,
      position: { window: homeWindow },
      command,
      exclusive<T>(task: () => Promise<T>): Promise<T> {
        const run = queue.then(task, task);
        queue = run.catch(() => undefined);
        return run;
      },
      async close() {
        await webDriverCommand(base, 'DELETE', `/session/${created.sessionId}`, undefined, 10_000).catch(() => undefined);
        await driver.stop();
      },
    };
  } catch (error) {
    await driver.stop();
    throw error;
  }
}

/** Every iframe of the current document, open shadow roots included, those whose `src` matches first. Runs in the page. */
function iframesOf(prefix: string): Element[] {
  const found: HTMLIFrameElement[] = [];
  const walk = (root: Document | ShadowRoot): void => {
    for (const element of Array.from(root.querySelectorAll('*'))) {
      if (element instanceof HTMLIFrameElement) found.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return found.sort((a, b) => Number(b.src.startsWith(prefix)) - Number(a.src.startsWith(prefix)));
}

/**
 * The script WebDriver runs for `evaluate`: the function's source, awaited, its outcome
 * wrapped so a throw comes back as a value; argument and result travel as JSON text, as in
 * the other drivers. In a frame it first checks it is still in the frame it was sent to
 * (`stale` otherwise: the frame navigated away and must be found again).
 */
function asyncScript(source: string, framePrefix: string | undefined): string {
  const guard = framePrefix === undefined ? '' : `if (!location.href.startsWith(${JSON.stringify(framePrefix)})) { done({ ok: false, stale: true }); return; }\n`;
  return `const arg = arguments[0] === null ? undefined : JSON.parse(arguments[0]); const done = arguments[arguments.length - 1];
${guard}Promise.resolve().then(() => (${source})(arg)).then(
  (value) => done({ ok: true, json: value === undefined ? null : JSON.stringify(value) }),
  (error) => done({ ok: false, thrown: String(error) + (error && error.stack ? ' at ' + error.stack : '') }));`;
}

type Outcome = { ok: true; json: string | null } | { ok: false; thrown?: string; stale?: true };

/** WebDriver refusals of an element click that a DOM click can stand in for. */
const CLICK_REFUSED_ERRORS = new Set(['element click intercepted', 'element not interactable']);

/** The session is no longer where this client thought: find the place again and retry once. */
class LostPlace extends Error {
  override readonly name = 'LostPlace';
}

/** WebDriver errors that mean the current window or frame is gone or has changed. */
const LOST_PLACE_ERRORS = new Set(['no such frame', 'no such window', 'stale element reference', 'no such element', 'javascript error']);

function documentOn(session: Session, place: () => Place): TestDocument {
  /**
   * Makes the place's document the session's current browsing context (inside `exclusive`).
   * Skipped when the session is already there: most calls are polls of the same document,
   * and each switch is a round trip.
   */
  const enter = async (force: boolean): Promise<void> => {
    const { window, framePrefix } = place();
    const here = session.position;
    if (!force && here.window === window && here.framePrefix === framePrefix) return;
    session.position = {};
    if (here.window !== window || force) await session.command('POST', '/window', { handle: window });
    await session.command('POST', '/frame', { id: null });
    if (framePrefix !== undefined) {
      const search = async (depth: number): Promise<boolean> => {
        const frames = await session.command<unknown[]>('POST', '/execute/sync', { script: `return (${iframesOf.toString()})(arguments[0]);`, args: [framePrefix] });
        for (const frame of frames.filter(isElementReference)) {
          const switched = await session.command('POST', '/frame', { id: frame }).then(
            () => true,
            () => false,
          );
          if (!switched) continue;
          const href = await session.command<string>('POST', '/execute/sync', { script: 'return location.href;', args: [] }).catch(() => '');
          if (href.startsWith(framePrefix)) return true;
          if (depth + 1 < MAX_FRAME_DEPTH && (await search(depth + 1))) return true;
          await session.command('POST', '/frame/parent', {});
        }
        return false;
      };
      if (!(await search(0))) throw new Error(`No frame at ${framePrefix} in this tab.`);
    }
    session.position = { window, ...(framePrefix === undefined ? {} : { framePrefix }) };
  };

  /** Runs `task` in the place's document; once more from a fresh search if the session had lost it. */
  const run = <T>(task: () => Promise<T>): Promise<T> =>
    session.exclusive(async () => {
      await enter(false);
      try {
        return await task();
      } catch (error) {
        const lost = error instanceof LostPlace || (error instanceof WebDriverError && LOST_PLACE_ERRORS.has(error.error));
        if (!lost) throw error;
        await enter(true);
        return task();
      }
    });

  const evaluate = async <R, A>(fn: PageFunction<A, R>, arg?: A): Promise<R> => {
    const script = asyncScript(fn.toString(), place().framePrefix);
    const outcome = await run(async () => {
      const result = await session.command<Outcome>('POST', '/execute/async', { script, args: [arg === undefined ? null : JSON.stringify(arg)] }, SCRIPT_TIMEOUT_MS + 5_000);
      if (!result.ok && result.stale) throw new LostPlace('The frame navigated away.');
      return result;
    });
    if (!outcome.ok) throw new Error(`Evaluation failed in the page: ${outcome.thrown ?? 'unknown'}`);
    return (outcome.json === null ? undefined : JSON.parse(outcome.json)) as R;
  };

  const elementOf = async (selector: string): Promise<void> => {
    await pollEvaluate(evaluate, deepPresent, { selector, visible: false }, { message: `an element matching ${selector}` });
  };

  /** Runs `act` on the element of `selector` (looked up in the same turn of the session). */
  const onElement = async <T>(selector: string, act: (id: string) => Promise<T>): Promise<T> => {
    await elementOf(selector);
    return run(async () => {
      const found = await session.command<ElementReference | null>('POST', '/execute/sync', { script: `return (${deepElement.toString()})(arguments[0]);`, args: [selector] });
      if (!isElementReference(found)) throw new LostPlace(`No element matches ${selector}.`);
      return act(found[ELEMENT_KEY]);
    });
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
      const clicked = await onElement(selector, async (id) => {
        try {
          await session.command('POST', `/element/${id}/click`, {});
          return true;
        } catch (error) {
          if (error instanceof WebDriverError && CLICK_REFUSED_ERRORS.has(error.error)) return false;
          throw error;
        }
      });
      // WebKitWebDriver refused a pointer click (it judged the element covered or not
      // interactable): a DOM click then, which is not a trusted event.
      if (!clicked) await evaluate(domClick, selector);
    },
    async fill(selector, text) {
      await elementOf(selector);
      if (!(await evaluate(insertText, { selector, text }))) throw new Error(`No input or textarea matches ${selector}.`);
    },
    url: () => evaluate(() => location.href),
  };
}

/** Switches the session to the top of `window` for a command on the tab itself. */
async function toTop(session: Session, window: string): Promise<void> {
  session.position = {};
  await session.command('POST', '/window', { handle: window });
  await session.command('POST', '/frame', { id: null });
  session.position = { window };
}

function wrapPage(session: Session, window: string, onClose: () => void): TestPage {
  const top = documentOn(session, () => ({ window }));
  return {
    ...top,
    async goto(url) {
      await session.exclusive(async () => {
        await toTop(session, window);
        await session.command('POST', '/url', { url }, NAVIGATION_TIMEOUT_MS + 5_000);
      });
    },
    async reload() {
      await session.exclusive(async () => {
        await toTop(session, window);
        await session.command('POST', '/refresh', {}, NAVIGATION_TIMEOUT_MS + 5_000);
      });
    },
    async frame(urlPrefix, options: WaitOptions = {}) {
      const handle: TestFrame = documentOn(session, () => ({ window, framePrefix: urlPrefix }));
      await handle.waitFor(() => document.readyState === 'complete', undefined, {
        timeout: options.timeout ?? DEFAULT_WAIT_MS,
        message: options.message ?? `a loaded frame at ${urlPrefix}`,
      });
      return handle;
    },
    async close() {
      // Closing the window unloads its document: `pagehide` runs.
      await session.exclusive(async () => {
        await toTop(session, window);
        session.position = {};
        await session.command('DELETE', '/window');
      });
      onClose();
    },
  };
}

function wrapContext(session: Session): BrowserContextHandle {
  const open = new Set<TestPage>();
  return {
    async newPage() {
      const created = await session.exclusive(() => session.command<{ handle: string }>('POST', '/window/new', { type: 'window' }));
      const page = wrapPage(session, created.handle, () => open.delete(page));
      open.add(page);
      return page;
    },
    setOffline() {
      return Promise.reject(new Error('WebKitWebDriver cannot emulate losing the network (capabilities.offline is false): cut it at the fault proxy.'));
    },
    addInitScript() {
      return Promise.reject(new Error('WebDriver classic cannot run a script before the page’s own (capabilities.initScripts is false).'));
    },
    async close() {
      for (const page of Array.from(open)) await page.close().catch(() => undefined);
      await session.close();
    },
  };
}

/**
 * WebKit: WebKitGTK's MiniBrowser through Debian's WebKitWebDriver (W3C WebDriver classic),
 * on an Xvfb display of its own. WebKitWebDriver holds one session at a time, so each
 * context is a driver of its own with one session, that is one MiniBrowser with fresh,
 * ephemeral storage; tabs are WebDriver windows.
 */
export async function launchWebKit(browserPath: string): Promise<Engine> {
  const display = await startXvfb(WEBKIT_BINARIES.xvfb);
  const sessions = new Set<Session>();
  const open = async (): Promise<Session> => {
    const session = await startSession(browserPath, display);
    sessions.add(session);
    return session;
  };
  let first: Session;
  try {
    // The first session tells the version; it is kept for the first context.
    first = await open();
  } catch (error) {
    await display.stop();
    throw error;
  }
  // The next context's session starts while the current one is in use: a MiniBrowser takes
  // about a second to come up, and most files open a context per test.
  let spare: Promise<Session | undefined> = Promise.resolve(first);
  const prepareSpare = (): void => {
    spare = open().catch(() => undefined);
  };
  return {
    name: 'webkit',
    version: `WebKitGTK ${first.version}`,
    capabilities: { offline: false, cdp: false, isolatedFrames: false, initScripts: false },
    async newContext() {
      // Taken before any await, so two contexts opened at once never share a session.
      const taken = spare;
      prepareSpare();
      const session = (await taken) ?? (await open());
      const context = wrapContext(session);
      return {
        ...context,
        async close() {
          sessions.delete(session);
          await context.close();
        },
      };
    },
    async close() {
      await spare;
      await Promise.all(Array.from(sessions, (session) => session.close()));
      sessions.clear();
      await display.stop();
    },
  };
}
