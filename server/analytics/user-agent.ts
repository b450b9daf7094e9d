import { UAParser } from 'ua-parser-js';

/** What the analytics keep of a user agent string. */
export interface DeviceInfo {
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'other';
  /** Browser name and major version, e.g. `Chrome 131`. */
  browser: string | null;
  /** Operating system and version, e.g. `iOS 17.0`. */
  os: string | null;
}

const joined = (name: string | undefined, version: string | undefined): string | null =>
  name ? (version ? `${name} ${version}` : name) : null;

/**
 * Parses a user agent (ua-parser-js 1.x, MIT). A string with no device type is a desktop when
 * it names a desktop OS, `other` otherwise (bots, tools, TVs, consoles).
 */
export function parseUserAgent(userAgent: string | null): DeviceInfo | null {
  if (!userAgent) return null;
  const known = cache.get(userAgent);
  if (known) return known;
  const parsed = parse(userAgent);
  // A handful of user agents make most traffic: parsing costs tens of µs, a lookup next to nothing.
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(userAgent, parsed);
  return parsed;
}

const CACHE_SIZE = 2000;
const cache = new Map<string, DeviceInfo>();

function parse(userAgent: string): DeviceInfo {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const type = device.type;
  const deviceType =
    type === 'mobile' || type === 'tablet'
      ? type
      : type === undefined && /^(Windows|Mac OS|Linux|Ubuntu|Chromium OS|Fedora|Debian)/.test(os.name ?? '')
        ? 'desktop'
        : 'other';
  return { deviceType, browser: joined(browser.name, browser.major), os: joined(os.name, os.version) };
}
