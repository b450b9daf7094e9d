import { readdirSync } from 'node:fs';
import { WEBKIT_BINARIES } from './driver/webkit';
import { ensureSystemBrowser } from './system-browser';

/** The architecture directories under /usr/lib (e.g. `x86_64-linux-gnu`). */
function tripletDirectories(): string[] {
  try {
    return readdirSync('/usr/lib').filter((name) => name.includes('-linux-'));
  } catch {
    return [];
  }
}

/** MiniBrowser of every WebKitGTK API version Debian ships, newest API first. */
function miniBrowserCandidates(): string[] {
  return tripletDirectories().flatMap((triplet) => [
    `/usr/lib/${triplet}/webkitgtk-6.0/MiniBrowser`,
    `/usr/lib/${triplet}/webkit2gtk-4.1/MiniBrowser`,
    `/usr/lib/${triplet}/webkit2gtk-4.0/MiniBrowser`,
  ]);
}

/**
 * The path of WebKitGTK's MiniBrowser, the browser `WebKitWebDriver` drives:
 * `WEBKIT_BROWSER_PATH`, or Debian's (with `WebKitWebDriver` and `Xvfb`; packages
 * `webkit2gtk-driver` and `xvfb`, installed through apt when missing and run as root);
 * otherwise one clear line says how to get it.
 */
export function ensureWebKit(): string {
  return ensureSystemBrowser({
    label: 'WebKit (WebKitGTK MiniBrowser, WebKitWebDriver and Xvfb)',
    envVar: 'WEBKIT_BROWSER_PATH',
    candidates: miniBrowserCandidates(),
    packages: ['webkit2gtk-driver', 'xvfb'],
    companions: [WEBKIT_BINARIES.webDriver, WEBKIT_BINARIES.xvfb],
  });
}
