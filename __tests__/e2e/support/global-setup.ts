import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../../support/chromium';
import { ENGINES, launchEngineAt, startFirefox } from './driver';
import type { EngineName } from './driver';
import { ensureFirefox } from './firefox';
import { ensureWebKit } from './webkit';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Chromium for the files that still drive it through playwright directly. */
    chromiumPath: string;
    /** Product and version of the project's browser, for the engine summary. */
    engineVersion: string;
  }
}

const ENSURE: Readonly<Record<EngineName, () => string>> = Object.freeze({
  chromium: ensureChromium,
  firefox: ensureFirefox,
  webkit: ensureWebKit,
});

/** The engine of an `e2e-<engine>` project. */
export function engineOfProject(projectName: string): EngineName {
  const name = projectName.replace(/^e2e-/, '') as EngineName;
  if (!ENGINES.includes(name)) throw new Error(`Project ${projectName} names no engine (e2e-chromium, e2e-firefox, e2e-webkit).`);
  return name;
}

/**
 * For each `e2e-<engine>` project: checks the build is there, finds (or installs) the
 * engine's browser, proves it starts, and says which one runs the tests. Firefox is started
 * once here and kept for the project's files (each connects its own BiDi session): it takes
 * seconds to start, where Chromium and a WebKit session take about one.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const root = resolve(import.meta.dirname, '../../..');
  if (!existsSync(resolve(root, 'dist/embed.js')) || !existsSync(resolve(root, 'dist/widget/widget.html'))) {
    throw new Error('Browser tests run against the build: run `npm run build` first (`npm run test:e2e` does).');
  }
  const name = engineOfProject(project.name);
  const browserPath = ENSURE[name]();
  const started = Date.now();
  const firefox = name === 'firefox' ? await startFirefox(browserPath) : undefined;
  try {
    const engine = await launchEngineAt(name, browserPath, firefox?.endpoint);
    try {
      console.log(`Browser tests run in ${engine.version} (${browserPath}); it started in ${Date.now() - started} ms.`);
    } finally {
      await engine.close();
    }
    project.provide('engine', name);
    project.provide('browserPath', browserPath);
    project.provide('engineVersion', engine.version);
    if (name === 'chromium') project.provide('chromiumPath', browserPath);
    if (firefox) project.provide('firefoxEndpoint', firefox.endpoint);
  } catch (error) {
    await firefox?.close();
    throw error;
  }
  return firefox ? () => firefox.close() : undefined;
}
