import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where a browser the suite needs comes from on a Debian-like machine. */
export interface SystemBrowser {
  /** Said in messages, e.g. `Firefox`. */
  label: string;
  /** Variable that points at the binary instead (then nothing is searched or installed). */
  envVar: string;
  /** Paths tried in order. */
  candidates: readonly string[];
  /** Debian packages that bring it. */
  packages: readonly string[];
  /** Other binaries it needs to run (e.g. `xvfb-run`), checked after the install. */
  companions?: readonly string[];
}

function find(browser: SystemBrowser): string | null {
  const fromEnv = process.env[browser.envVar];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const companionsThere = (browser.companions ?? []).every((path) => existsSync(path));
  if (!companionsThere) return null;
  return browser.candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * The path of the browser's binary: its variable, or the system's. Where there is none and
 * this is a Debian-like machine run as root, its Debian packages are installed; otherwise
 * one clear line says how to get it.
 */
export function ensureSystemBrowser(browser: SystemBrowser): string {
  const found = find(browser);
  if (found) return found;
  const packages = browser.packages.join(' ');
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env[browser.envVar];
  if (canInstall) {
    console.log(`${browser.label} is missing: installing Debian's ${packages} for the browser tests…`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...browser.packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = find(browser);
    if (installed) return installed;
  }
  throw new Error(
    `Browser tests need ${browser.label}: install it (Debian: \`apt-get install ${packages}\`) or set ${browser.envVar} to its binary.`,
  );
}
