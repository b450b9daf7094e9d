import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from './driver';

/*
 * The Chromium-only corner of the browser suite: what drives playwright directly (the
 * dashboard tests). Engine-neutral tests use `stage.ts` and the driver instead.
 */

/** A bare Chromium (the dashboard tests drive it through playwright). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: inject('browserPath'), args: CHROMIUM_ARGS, headless: true });
}
