import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from './driver';
import type { Engine, TestPage } from './driver';

/*
 * The Chromium-only corner of the browser suite: what needs playwright or the DevTools
 * protocol directly. Engine-neutral tests use `stage.ts` and the driver instead.
 */

export { CHROMIUM_ARGS };

/** A bare Chromium (the dashboard tests drive it through playwright). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: inject('browserPath'), args: CHROMIUM_ARGS, headless: true });
}

/**
 * A DevTools protocol session on `page`, where the engine has one (`capabilities.cdp`).
 * The driver hides the playwright page, so it is found by a mark set through `evaluate`.
 */
export async function cdpSessionOf(engine: Engine, page: TestPage): Promise<CDPSession> {
  const browser = (engine as Engine & { browser?: Browser }).browser;
  if (!engine.capabilities.cdp || !browser) throw new Error(`${engine.version} offers no DevTools protocol session.`);
  const mark = randomUUID();
  await page.evaluate((value) => {
    (window as unknown as { __cdpMark?: string }).__cdpMark = value;
  }, mark);
  for (const context of browser.contexts()) {
    for (const candidate of context.pages()) {
      const found = await candidate.evaluate(() => (window as unknown as { __cdpMark?: string }).__cdpMark).catch(() => undefined);
      if (found === mark) return context.newCDPSession(candidate);
    }
  }
  throw new Error('The page is not among the browser’s pages.');
}
