import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { launchChromium } from './support/harness';

const ROOT = resolve(import.meta.dirname, '../..');
const API_KEY = 'dashboard-test-key-0123456789';
const WIDGET = 'dash-demo';
const EMPTY_WIDGET = 'dash-empty';
const MINUTE = 60_000;

let collector: RunningCollector;
let browser: Browser;
let shotDir: string;

/** One visitor's session: events a few seconds apart, all on one UTC day. */
interface Visit {
  visitor: string;
  /** Minutes before now when the session starts. */
  minutesAgo: number;
  names: string[];
  clicks: number;
  context: Record<string, unknown>;
}

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const MAC_FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0';

const VISITS: Visit[] = [
  {
    visitor: 'visitor-a',
    minutesAgo: 180,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'offer_shown', 'message_sent', 'message_received'],
    clicks: 1,
    context: { page: 'https://shop.example/trail-shoes', referrer: 'https://www.google.com/search?q=trail', utm: { source: 'newsletter', medium: 'email', campaign: 'autumn' }, screen: '1920x1080', userAgent: DESKTOP_CHROME },
  },
  {
    visitor: 'visitor-b',
    minutesAgo: 120,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'error'],
    clicks: 0,
    context: { page: 'https://shop.example/', referrer: null, screen: '1440x900', userAgent: MAC_FIREFOX },
  },
  {
    visitor: 'visitor-c',
    minutesAgo: 60,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'offer_shown', 'message_sent', 'message_received', 'message_sent', 'message_received'],
    clicks: 2,
    context: { page: 'https://shop.example/boots', referrer: 'https://t.co/x', utm: { source: 'twitter', medium: 'social' }, screen: '390x844', userAgent: IPHONE_SAFARI },
  },
  {
    visitor: 'visitor-d',
    minutesAgo: 3,
    names: ['widget_loaded', 'widget_opened', 'message_sent'],
    clicks: 0,
    context: { page: 'https://shop.example/trail-shoes', referrer: 'https://www.google.com/', screen: '1920x1080', userAgent: DESKTOP_CHROME },
  },
];

const count = (name: string): number => VISITS.reduce((sum, visit) => sum + visit.names.filter((n) => n === name).length, 0);
const EXPECTED = {
  sessions: VISITS.length,
  visitors: VISITS.length,
  conversions: VISITS.filter((visit) => visit.clicks > 0).length,
  messages: count('message_sent'),
  opens: count('widget_opened'),
  clicks: VISITS.reduce((sum, visit) => sum + visit.clicks, 0),
  errors: count('error'),
};

const utcDayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A start time `minutesAgo` back, moved earlier if the session would cross midnight UTC (it would split in two). */
function startOf(minutesAgo: number, lengthMs: number, now: number): number {
  const start = now - minutesAgo * MINUTE;
  if (utcDayOf(start) === utcDayOf(start + lengthMs)) return start;
  return Date.parse(`${utcDayOf(start + lengthMs)}T00:00:00Z`) - lengthMs - MINUTE;
}

async function postJson(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { accepted?: string[]; failed?: unknown[] };
  if (response.status !== 200 || (answer.failed ?? []).length > 0) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
}

/** Sends the visits through the ingestion API in batches of at most 25 events, as the embed script does. */
async function sendVisits(now: number): Promise<number> {
  const events: Record<string, unknown>[] = [];
  const clicks: Record<string, unknown>[] = [];
  for (const visit of VISITS) {
    const stepMs = 5_000;
    const start = startOf(visit.minutesAgo, (visit.names.length + visit.clicks) * stepMs, now);
    visit.names.forEach((name, index) => {
      events.push({
        id: randomUUID(),
        name,
        category: name.startsWith('message') ? 'conversation' : 'engagement',
        sessionId: visit.visitor,
        anonymousId: `anon-${visit.visitor}`,
        userId: null,
        timestamp: start + index * stepMs,
        properties: {},
        context: visit.context,
      });
    });
    for (let i = 0; i < visit.clicks; i++) {
      clicks.push({
        id: randomUUID(),
        sessionId: visit.visitor,
        questionId: 'q-visit-reason',
        offerId: i % 2 === 0 ? 'offer-trail' : 'offer-boots',
        buttonVariantId: 'v-primary',
        timestamp: start + (visit.names.length + i) * stepMs,
        userAgent: visit.context.userAgent,
      });
    }
  }
  for (let i = 0; i < events.length; i += 25) {
    await postJson('/api/analytics/events/batch', { widgetId: WIDGET, batchId: randomUUID(), events: events.slice(i, i + 25) });
  }
  await postJson('/api/track/click/batch', { widgetId: WIDGET, batchId: randomUUID(), events: clicks });
  return events.length + clicks.length;
}

async function openDashboard(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${collector.url}/dashboard/`);
  return { context, page };
}

async function signIn(page: Page, widgetId: string, apiKey: string): Promise<void> {
  const form = page.getByTestId('dashboard-signin');
  await form.getByLabel('Widget id').fill(widgetId);
  await form.getByLabel('API key').fill(apiKey);
  // Enter in the key field submits, as a keyboard user would.
  await form.getByLabel('API key').press('Enter');
}

const cardValue = (page: Page, metric: string): Promise<string> =>
  page.locator(`[data-testid="summary-card"][data-metric="${metric}"] [data-testid="summary-value"]`).innerText();

/** The trend lines' colours (TREND_SERIES): sessions, visitors, conversions, events. */
const LINE_COLOURS: [number, number, number][] = [
  [0x4f, 0x46, 0xe5],
  [0x0e, 0x74, 0x90],
  [0x15, 0x80, 0x3d],
  [0xc2, 0x41, 0x0c],
];

/**
 * Pixels of the trends canvas per line colour (within a small tolerance, opaque): proof the
 * lines were drawn, not only the axes and grid (which are grey).
 */
const linePixels = (page: Page): Promise<number[]> =>
  page.evaluate((colours) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="trends-chart"] canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return colours.map(() => -1);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const counts = colours.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] ?? 0) < 200) continue;
      colours.forEach(([r, g, b], index) => {
        if (Math.abs((data[i] ?? 0) - r) < 24 && Math.abs((data[i + 1] ?? 0) - g) < 24 && Math.abs((data[i + 2] ?? 0) - b) < 24) counts[index] = (counts[index] ?? 0) + 1;
      });
    }
    return counts;
  }, LINE_COLOURS);

beforeAll(async () => {
  if (!existsSync(resolve(ROOT, 'dist/dashboard/dashboard.html'))) {
    throw new Error('The dashboard test runs against the build: run `npm run build:dashboard` first (`npm run test:e2e` builds everything).');
  }
  collector = await startCollector({
    port: 0,
    databaseUrl: ':memory:',
    logLevel: 'silent',
    apiKeys: [{ key: API_KEY, owner: 'acme', widgets: [WIDGET, EMPTY_WIDGET] }],
  });
  browser = await launchChromium();
  shotDir = mkdtempSync(join(tmpdir(), 'framewire-dashboard-'));
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('the collector serves the dashboard build', () => {
  test('redirects /dashboard to /dashboard/ and serves the page with a strict CSP and no-cache', async () => {
    const redirect = await fetch(`${collector.url}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/dashboard/');

    const page = await fetch(`${collector.url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');

    const html = await page.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${collector.url}/dashboard/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBeNull();
  });

  test('refuses paths that leave the build folder, and unknown files, with 404', async () => {
    for (const path of ['/dashboard/..%2F..%2Fpackage.json', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/assets/..%5C..%5C..%5Cpackage.json', '/dashboard/nope.js']) {
      const response = await fetch(`${collector.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('"name": "framewire"');
    }
  });
});

describe('in Chromium, the dashboard on the collector', () => {
  test('shows the right counts, a drawn trends chart, the events sent, devices, sources and the active session', async () => {
    const sent = await sendVisits(Date.now());
    const { context, page } = await openDashboard();
    try {
      await signIn(page, WIDGET, API_KEY);
      await page.getByTestId('trends-chart').locator('canvas').waitFor({ state: 'visible', timeout: 10_000 });

      expect(await page.getByTestId('summary-card').count()).toBe(8);
      expect(await cardValue(page, 'sessions')).toBe(String(EXPECTED.sessions));
      expect(await cardValue(page, 'visitors')).toBe(String(EXPECTED.visitors));
      expect(await cardValue(page, 'conversions')).toBe(String(EXPECTED.conversions));
      expect(await cardValue(page, 'messages')).toBe(String(EXPECTED.messages));
      expect(await cardValue(page, 'opens')).toBe(String(EXPECTED.opens));
      expect(await cardValue(page, 'clicks')).toBe(String(EXPECTED.clicks));
      expect(await cardValue(page, 'errors')).toBe(String(EXPECTED.errors));
      const sessionsDetail = await page.locator('[data-testid="summary-card"][data-metric="sessions"]').innerText();
      expect(sessionsDetail).toContain(`${sent} events recorded`);
      expect(await page.locator('[data-testid="summary-card"][data-metric="conversions"]').innerText()).toContain('50%');

      // The chart really drew its lines. Sessions and visitors are equal here, so the visitors
      // line covers the sessions one: look for the visitors, conversions and events colours.
      const [, visitorsLine = 0, conversionsLine = 0, eventsLine = 0] = await linePixels(page);
      expect(visitorsLine).toBeGreaterThan(50);
      expect(conversionsLine).toBeGreaterThan(50);
      expect(eventsLine).toBeGreaterThan(50);

      const topEvents = page.getByTestId('top-events');
      const listed = await topEvents.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-label')));
      for (const name of new Set(VISITS.flatMap((visit) => visit.names))) expect(listed).toContain(name);
      expect(await topEvents.locator('li[data-label="message_sent"]').getAttribute('data-value')).toBe(String(EXPECTED.messages));

      const devices = await page.getByTestId('devices').innerText();
      expect(devices).toContain('Desktop');
      expect(devices).toContain('Mobile');
      const sources = await page.getByTestId('traffic-sources').innerText();
      expect(sources).toContain('newsletter');
      expect(sources).toContain('google.com');

      const active = page.getByTestId('active-sessions');
      await expect.poll(() => active.getByTestId('active-count').innerText(), { timeout: 5_000 }).toBe('1');

      // The key lives in sessionStorage, never in the URL.
      expect(page.url()).toBe(`${collector.url}/dashboard/`);
      expect(await page.evaluate(() => JSON.stringify(sessionStorage))).toContain(API_KEY);

      const shot = join(shotDir, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`Dashboard screenshot: ${shot}`);

      // Signing out forgets the key.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('dashboard-signin').waitFor();
      expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(API_KEY);
    } finally {
      await context.close();
    }
  });

  test('a wrong key keeps the sign-in form with "That key was refused", and a widget the key does not own says so', async () => {
    const { context, page } = await openDashboard();
    try {
      await signIn(page, WIDGET, 'not-the-right-key-0000000000');
      const form = page.getByTestId('dashboard-signin');
      await form.getByRole('alert').filter({ hasText: 'That key was refused' }).waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('summary-card').count()).toBe(0);

      await signIn(page, 'someone-elses-widget', API_KEY);
      await form.getByRole('alert').filter({ hasText: 'No such widget for this key' }).waitFor({ timeout: 5_000 });
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('a widget with no events shows the empty state, not empty charts', async () => {
    const { context, page } = await openDashboard();
    try {
      await signIn(page, EMPTY_WIDGET, API_KEY);
      const empty = page.getByTestId('dashboard-empty');
      await empty.waitFor({ timeout: 10_000 });
      expect(await empty.innerText()).toContain('No activity yet');
      expect(await page.getByTestId('trends-chart').count()).toBe(0);
      expect(await page.getByTestId('summary-card').count()).toBe(0);
      expect(await page.getByTestId('dashboard-error').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
