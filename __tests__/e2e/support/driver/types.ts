/**
 * A thin layer over the browser automation libraries, so that one test body runs in
 * Chromium (playwright-core over CDP), Firefox (puppeteer-core over WebDriver BiDi) and
 * WebKit (WebKitGTK's WebDriver). It offers only what the tests need: isolated contexts,
 * tabs, navigation, code run in the page or in a child frame, real clicks and typing.
 *
 * Code passed to `evaluate`/`waitFor` is serialised: it must be self-contained (no closure
 * over test variables) and take its input through the one JSON argument.
 */

/** The engines the browser suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** What an engine's automation can do beyond the common set. */
export interface EngineCapabilities {
  /**
   * The browser emulates losing the network (`navigator.onLine` false, `offline`/`online`
   * events). Where it cannot, tests cut the network at the fault proxy and dispatch the
   * `offline`/`online` events in the page themselves.
   */
  offline: boolean;
  /** The DevTools protocol is reachable (listener and MessagePort counts). */
  cdp: boolean;
  /**
   * A cross-origin iframe runs in a process of its own, so a host page stalled in a long
   * task does not stall the widget. True in Chromium (site isolation); false in WebKitGTK
   * (no site isolation) and in Firefox as driven here (one content process, without which
   * automation input does not reach the widget's iframe).
   */
  isolatedFrames: boolean;
  /**
   * A context can run a script in each of its documents before the document's own scripts
   * (`BrowserContextHandle.addInitScript`): Chromium (playwright's `addInitScript`) and
   * Firefox (BiDi `script.addPreloadScript`, through puppeteer's `evaluateOnNewDocument`).
   * WebDriver classic, which drives WebKit, has no such command.
   */
  initScripts: boolean;
}

/** A running browser of one engine. */
export interface Engine {
  readonly name: EngineName;
  /** Product and version, e.g. `Chromium 156.0.8078.73`. */
  readonly version: string;
  readonly capabilities: EngineCapabilities;
  /** A fresh context with storage of its own (localStorage, cookies, Web Locks, cache). */
  newContext(): Promise<BrowserContextHandle>;
  /** Closes every context and the browser. */
  close(): Promise<void>;
}

/** An isolated browsing context: its tabs share storage with each other and with no one else. */
export interface BrowserContextHandle {
  /** Opens a new tab (about:blank). */
  newPage(): Promise<TestPage>;
  /** Emulates losing / regaining the network; only where `capabilities.offline`, else it throws. */
  setOffline(offline: boolean): Promise<void>;
  /**
   * Runs `source` (a script's text) in every document the context's tabs load from now on,
   * frames included, before the document's own scripts; only where
   * `capabilities.initScripts`, else it throws.
   */
  addInitScript(source: string): Promise<void>;
  /** Closes every tab (each page gets its `pagehide`) and the context. */
  close(): Promise<void>;
}

/** A function run in a page or frame: self-contained, one JSON argument, JSON result. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

export interface WaitOptions {
  /** @default 10000 */
  timeout?: number;
  /** Said in the error when the wait times out. */
  message?: string;
}

/** What a top-level page and a child frame both offer. */
export interface TestDocument {
  /** Runs `fn(arg)` in the document and resolves with its (awaited) JSON result. */
  evaluate<R, A = undefined>(fn: PageFunction<A, R>, arg?: A): Promise<R>;
  /**
   * Runs `fn(arg)` in the document every 50 ms until it returns a truthy value, and resolves
   * with that value; rejects after `timeout` ms. Exceptions thrown by `fn` count as falsy
   * (the document may be navigating).
   */
  waitFor<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, options?: WaitOptions): Promise<NonNullable<R>>;
  /** Waits until an element matching `selector` is in the document (open shadow roots pierced). */
  waitForSelector(selector: string, options?: WaitOptions & { visible?: boolean }): Promise<void>;
  /**
   * Clicks the first element matching `selector` (open shadow roots pierced) as a user
   * would: scrolled into view, a pointer click at its centre, where the engine allows.
   */
  click(selector: string): Promise<void>;
  /** Replaces the value of the input matching `selector` with `text`, firing input events as typing does. */
  fill(selector: string, text: string): Promise<void>;
  /** The document's current URL. */
  url(): Promise<string>;
}

/** A tab. */
export interface TestPage extends TestDocument {
  /** Navigates and waits for the `load` event. */
  goto(url: string): Promise<void>;
  /** Reloads and waits for the `load` event. */
  reload(): Promise<void>;
  /**
   * The child frame (of any depth, inside open shadow roots too) whose URL starts with
   * `urlPrefix`, once it has loaded. The handle finds the frame again by its URL on every
   * call, so it survives the frame's or the page's reload.
   */
  frame(urlPrefix: string, options?: WaitOptions): Promise<TestFrame>;
  /** Closes the tab as a user would: `pagehide` runs. */
  close(): Promise<void>;
}

/** A frame inside a page. */
export type TestFrame = TestDocument;
