import { ensureSystemBrowser } from './system-browser';

/**
 * The path of a Firefox binary: `FIREFOX_PATH`, or Debian's `firefox-esr` (installed through
 * apt when missing and run as root); otherwise one clear line says how to get it.
 */
export function ensureFirefox(): string {
  return ensureSystemBrowser({
    label: 'Firefox',
    envVar: 'FIREFOX_PATH',
    candidates: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    packages: ['firefox-esr'],
  });
}
