import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser as BrowserKind, createProfile, launch, WEBDRIVER_BIDI_WEBSOCKET_ENDPOINT_REGEX } from '@puppeteer/browsers';

/**
 * Preferences that keep Firefox from reaching for the network on a closed machine, on top
 * of the automation profile's own (updates, safebrowsing, remote settings server, Shield):
 * without them it stalls on captive-portal, connectivity, telemetry and push connections.
 */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = Object.freeze({
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.aboutHomeSnippets.updateUrl': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.topsites.contile.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  // Every site in one content process, as puppeteer.launch sets it: with cross-origin iframes
  // in processes of their own (Firefox's default, Fission), Firefox 153 delivers no
  // automation key or mouse input into the widget's iframe. The price: a stalled host page
  // stalls the widget too in Firefox under test, which users' Firefox does not.
  'fission.webContentIsolationStrategy': 0,
  'media.gmp-gmpopenh264.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
});

/** Deadline of Firefox starting and opening its WebDriver BiDi endpoint (ms). */
export const FIREFOX_START_TIMEOUT_MS = 60_000;

/** A running Firefox, waiting for a WebDriver BiDi client. */
export interface FirefoxProcess {
  /** The BiDi WebSocket address to connect to (`ws://127.0.0.1:<port>/session`). */
  readonly endpoint: string;
  /** Ends Firefox (its whole process group) and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts Firefox headless on a fresh automation profile (puppeteer's preferences and ours),
 * listening for WebDriver BiDi on a free port. Started here rather than by `puppeteer.launch`
 * so that one Firefox serves all of a project's test files: it takes seconds to start.
 */
export async function startFirefox(executablePath: string): Promise<FirefoxProcess> {
  const profile = await mkdtemp(join(tmpdir(), 'framewire-firefox-'));
  const removeProfile = (): Promise<void> => rm(profile, { recursive: true, force: true }).catch(() => undefined);
  await createProfile(BrowserKind.FIREFOX, { path: profile, preferences: { ...FIREFOX_PREFS } });
  const firefox = launch({
    executablePath,
    args: ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    dumpio: false,
  });
  try {
    const address = await firefox.waitForLineOutput(WEBDRIVER_BIDI_WEBSOCKET_ENDPOINT_REGEX, FIREFOX_START_TIMEOUT_MS);
    return {
      endpoint: `${address}/session`,
      async close() {
        await firefox.close().catch(() => undefined);
        await removeProfile();
      },
    };
  } catch (error) {
    await firefox.close().catch(() => undefined);
    await removeProfile();
    throw error;
  }
}
