import { ensureSystemBrowser } from '../e2e/support/system-browser';

export { CHROMIUM_ARGS } from '../e2e/support/driver/chromium';

/**
 * The path of a Chromium binary: `CHROMIUM_PATH`, or the system's. Where there is none and
 * this is a Debian-like machine run as root, Debian's `chromium` package is installed;
 * otherwise one clear line says how to get it.
 */
export function ensureChromium(): string {
  return ensureSystemBrowser({
    label: 'Chromium',
    envVar: 'CHROMIUM_PATH',
    candidates: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    packages: ['chromium'],
  });
}
