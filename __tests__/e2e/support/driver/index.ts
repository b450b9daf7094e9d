import { inject } from 'vitest';
import { launchChromium } from './chromium';
import type { Engine, EngineName } from './types';

export { CHROMIUM_ARGS } from './chromium';
export { DEFAULT_WAIT_MS, deepQuery, pollEvaluate, sleep, until } from './poll';
export type { BrowserContextHandle, Engine, EngineCapabilities, EngineName, PageFunction, TestDocument, TestFrame, TestPage, WaitOptions } from './types';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The engine this vitest project runs the browser suite in. */
    engine: EngineName;
    /** The browser binary the project's global setup found or installed. */
    browserPath: string;
  }
}

/** The engine of the running vitest project (`e2e-chromium`, `e2e-firefox`, `e2e-webkit`). */
export function currentEngine(): EngineName {
  return inject('engine');
}

/** Starts the browser of the running project's engine. */
export function launchEngine(name: EngineName = currentEngine()): Promise<Engine> {
  switch (name) {
    case 'chromium':
      return launchChromium(inject('browserPath'));
    default:
      throw new Error(`The ${name} driver is not written yet.`);
  }
}

/** "Chromium", "Firefox" or "WebKit", for test names. */
export function engineLabel(name: EngineName = currentEngine()): string {
  return { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }[name];
}
