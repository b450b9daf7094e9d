import { inject } from 'vitest';
import { launchChromium } from './chromium';
import { launchFirefox } from './firefox';
import { launchWebKit } from './webkit';
import type { Engine, EngineName } from './types';

export { CHROMIUM_ARGS, launchChromium } from './chromium';
export { launchFirefox } from './firefox';
export { FIREFOX_PREFS, startFirefox } from './firefox-process';
export type { FirefoxProcess } from './firefox-process';
export { launchWebKit } from './webkit';
export { DEFAULT_WAIT_MS, pollEvaluate, sleep, until } from './poll';
export type { BrowserContextHandle, Engine, EngineCapabilities, EngineName, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The engine this vitest project runs the browser suite in. */
    engine: EngineName;
    /** The browser binary the project's global setup found or installed. */
    browserPath: string;
    /** Firefox only: the BiDi endpoint of the Firefox the global setup keeps running for the project's files. */
    firefoxEndpoint?: string;
  }
}

/** The engine of the running vitest project (`e2e-chromium`, `e2e-firefox`, `e2e-webkit`). */
export function currentEngine(): EngineName {
  return inject('engine');
}

/** The engine names, in the order the suite runs them. */
export const ENGINES: readonly EngineName[] = Object.freeze(['chromium', 'firefox', 'webkit']);

/**
 * Starts `name`'s browser from `browserPath` (what the project's global setup found), or for
 * Firefox connects to the one running at `firefoxEndpoint`.
 */
export function launchEngineAt(name: EngineName, browserPath: string, firefoxEndpoint?: string): Promise<Engine> {
  switch (name) {
    case 'chromium':
      return launchChromium(browserPath);
    case 'firefox':
      return launchFirefox(browserPath, firefoxEndpoint);
    case 'webkit':
      return launchWebKit(browserPath);
  }
}

/** The browser this test file's stages share, and how many of them have not closed it yet. */
let shared: { name: EngineName; engine: Promise<Engine>; users: number } | undefined;

/**
 * The browser of the running project's engine. Stages of one test file share one browser:
 * Firefox takes one WebDriver BiDi session at a time, so a second connection would be
 * refused. Each caller gets its own `close()`; the browser closes with the last one.
 */
export async function launchEngine(name: EngineName = currentEngine()): Promise<Engine> {
  if (shared?.name !== name) shared = { name, engine: launchEngineAt(name, inject('browserPath'), inject('firefoxEndpoint')), users: 0 };
  const mine = shared;
  mine.users++;
  let engine: Engine;
  try {
    engine = await mine.engine;
  } catch (error) {
    if (shared === mine) shared = undefined;
    throw error;
  }
  let closed = false;
  return {
    ...engine,
    async close() {
      if (closed) return;
      closed = true;
      mine.users--;
      if (mine.users > 0) return;
      if (shared === mine) shared = undefined;
      await engine.close();
    },
  };
}

/**
 * Why the widget frame runs on the host page's thread in `name` (so a blocked host blocks
 * the widget too), or undefined where it has a thread of its own. Known before the browser
 * starts, for test names; the smoke test checks it against `capabilities.isolatedFrames`.
 */
export function sharedThreadReason(name: EngineName = currentEngine()): string | undefined {
  const reasons: Partial<Record<EngineName, string>> = {
    firefox: 'its driver runs Firefox without site isolation, so the widget frame shares the host page’s thread',
    webkit: 'WebKitGTK has no site isolation, so the widget frame shares the host page’s thread',
  };
  return reasons[name];
}

/** "Chromium", "Firefox" or "WebKit", for test names. */
export function engineLabel(name: EngineName = currentEngine()): string {
  return { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }[name];
}
