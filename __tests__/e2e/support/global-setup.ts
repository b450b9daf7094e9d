import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import './driver';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

/** Finds (or installs) Chromium once, proves it starts, and says which one runs the tests. */
export default async function setup(project: TestProject): Promise<void> {
  const root = resolve(import.meta.dirname, '../../..');
  if (!existsSync(resolve(root, 'dist/embed.js')) || !existsSync(resolve(root, 'dist/widget/widget.html'))) {
    throw new Error('Browser tests run against the build: run `npm run build` first (`npm run test:e2e` does).');
  }
  const executablePath = ensureChromium();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  console.log(`Browser tests run in Chromium ${browser.version()} (${executablePath}).`);
  await browser.close();
  project.provide('chromiumPath', executablePath);
  project.provide('engine', 'chromium');
  project.provide('browserPath', executablePath);
}
