import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { WidgetDocument } from '../../lib/protocol/widget-document';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import type { ConversationMessage, MessagePage, StartedConversation } from '../../lib/protocol/conversations';
import { uuidv7 } from '../../lib/util/ids';
import { launchChromium } from './support/harness';
import { STAGE_COLLECTOR_OPTIONS } from './support/stage';

const ROOT = resolve(import.meta.dirname, '../..');
const API_KEY = 'dashboard-test-key-0123456789';
/** A key whose widgets are not registered: the picker has nothing to list. */
const LONELY_KEY = 'dashboard-lonely-key-0123456789';
const WIDGET = 'dash-demo';
const EMPTY_WIDGET = 'dash-empty';
/** Edited by the editor tests (not the analytics one, whose figures must not move). */
const EDITED_WIDGET = 'dash-edited';
/** Created from the dashboard with "New widget". */
const NEW_WIDGET = 'dash-new';
/** Where a visitor starts a conversation the inbox answers. */
const INBOX_WIDGET = 'dash-inbox';
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
  /** The offer each `offer_shown` of `names` showed, in order. */
  shown: { offerId: string; buttonVariantId: string }[];
  clicks: { offerId: string; buttonVariantId: string }[];
  context: Record<string, unknown>;
}

const TRAIL_PRIMARY = { offerId: 'offer-trail', buttonVariantId: 'v-primary' };
const TRAIL_URGENT = { offerId: 'offer-trail', buttonVariantId: 'v-urgent' };
const BOOTS = { offerId: 'offer-boots', buttonVariantId: 'default' };

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const MAC_FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0';

const VISITS: Visit[] = [
  {
    visitor: 'visitor-a',
    minutesAgo: 180,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'offer_shown', 'message_sent', 'message_received'],
    shown: [TRAIL_PRIMARY, BOOTS],
    clicks: [TRAIL_PRIMARY],
    context: { page: 'https://shop.example/trail-shoes', referrer: 'https://www.google.com/search?q=trail', utm: { source: 'newsletter', medium: 'email', campaign: 'autumn' }, screen: '1920x1080', userAgent: DESKTOP_CHROME },
  },
  {
    visitor: 'visitor-b',
    minutesAgo: 120,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'error'],
    shown: [TRAIL_URGENT],
    clicks: [],
    context: { page: 'https://shop.example/', referrer: null, screen: '1440x900', userAgent: MAC_FIREFOX },
  },
  {
    visitor: 'visitor-c',
    minutesAgo: 60,
    names: ['widget_loaded', 'widget_opened', 'offer_shown', 'message_sent', 'message_received', 'offer_shown', 'message_sent', 'message_received', 'message_sent', 'message_received'],
    shown: [TRAIL_PRIMARY, BOOTS],
    clicks: [TRAIL_PRIMARY, BOOTS],
    context: { page: 'https://shop.example/boots', referrer: 'https://t.co/x', utm: { source: 'twitter', medium: 'social' }, screen: '390x844', userAgent: IPHONE_SAFARI },
  },
  {
    visitor: 'visitor-d',
    minutesAgo: 3,
    names: ['widget_loaded', 'widget_opened', 'message_sent'],
    shown: [],
    clicks: [],
    context: { page: 'https://shop.example/trail-shoes', referrer: 'https://www.google.com/', screen: '1920x1080', userAgent: DESKTOP_CHROME },
  },
];

const count = (name: string): number => VISITS.reduce((sum, visit) => sum + visit.names.filter((n) => n === name).length, 0);
const EXPECTED = {
  sessions: VISITS.length,
  visitors: VISITS.length,
  conversions: VISITS.filter((visit) => visit.clicks.length > 0).length,
  messages: count('message_sent'),
  opens: count('widget_opened'),
  clicks: VISITS.reduce((sum, visit) => sum + visit.clicks.length, 0),
  errors: count('error'),
};

/** The offers report the visits make: per offer and variant, shown, clicked and CTR as the panel prints it. */
const EXPECTED_OFFERS = [
  { ...BOOTS, shown: '2', clicked: '1', ctr: '50%' },
  { ...TRAIL_PRIMARY, shown: '2', clicked: '2', ctr: '100%' },
  { ...TRAIL_URGENT, shown: '1', clicked: '0', ctr: '0%' },
];

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
    const start = startOf(visit.minutesAgo, (visit.names.length + visit.clicks.length) * stepMs, now);
    let shown = 0;
    visit.names.forEach((name, index) => {
      const offer = name === 'offer_shown' ? visit.shown[shown++] : undefined;
      events.push({
        id: randomUUID(),
        name,
        category: name.startsWith('message') ? 'conversation' : 'engagement',
        sessionId: visit.visitor,
        anonymousId: `anon-${visit.visitor}`,
        userId: null,
        timestamp: start + index * stepMs,
        properties: offer ? { ...offer, questionId: 'q-visit-reason' } : {},
        context: visit.context,
      });
    });
    visit.clicks.forEach((click, i) => {
      clicks.push({
        id: randomUUID(),
        sessionId: visit.visitor,
        questionId: 'q-visit-reason',
        ...click,
        timestamp: start + (visit.names.length + i) * stepMs,
        userAgent: visit.context.userAgent,
      });
    });
  }
  for (let i = 0; i < events.length; i += 25) {
    await postJson('/api/analytics/events/batch', { widgetId: WIDGET, batchId: randomUUID(), events: events.slice(i, i + 25) });
  }
  await postJson('/api/track/click/batch', { widgetId: WIDGET, batchId: randomUUID(), events: clicks });
  // The analytics follow ingestion within about a second; fold them now so the first look counts all.
  await collector.analytics.drain();
  return events.length + clicks.length;
}

/** A widget document's save through the API, as another user of the key (or the test's setup) makes it. */
async function putWidget(widgetId: string, body: unknown, revision: number | null): Promise<{ status: number; document: WidgetDocument }> {
  const response = await fetch(`${collector.url}/api/widgets/${widgetId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...(revision === null ? {} : { 'if-match': `"${revision}"` }) },
    body: JSON.stringify(body),
  });
  const document = (await response.json()) as WidgetDocument;
  if (response.status !== 200 && response.status !== 201) throw new Error(`PUT ${widgetId} answered ${response.status}: ${JSON.stringify(document)}`);
  return { status: response.status, document };
}

async function getWidget(widgetId: string): Promise<WidgetDocument> {
  const response = await fetch(`${collector.url}/api/widgets/${widgetId}`, { headers: { authorization: `Bearer ${API_KEY}` } });
  if (response.status !== 200) throw new Error(`GET ${widgetId} answered ${response.status}`);
  return (await response.json()) as WidgetDocument;
}

/** A visitor's call of the conversation API, as the widget makes it (Node's fetch, no API key). */
async function visitorCall<T>(path: string, init: { method?: string; body?: unknown; secret?: string } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${collector.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.secret === undefined ? {} : { [CONVERSATION_SECRET_HEADER]: init.secret }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const register = (widgetId: string, name: string) => putWidget(widgetId, { name, allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }, null);

async function openDashboard(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${collector.url}/dashboard/`);
  return { context, page };
}

/** Signs in with the key alone. */
async function signIn(page: Page, apiKey: string): Promise<void> {
  const form = page.getByTestId('dashboard-signin');
  await form.getByLabel('API key').fill(apiKey);
  // Enter in the key field submits, as a keyboard user would.
  await form.getByLabel('API key').press('Enter');
}

/** Picks a widget from the key's list. */
async function choose(page: Page, widgetId: string): Promise<void> {
  await page.locator(`[data-testid="widget-choice"][data-widget-id="${widgetId}"]`).click({ timeout: 10_000 });
  await page.getByTestId('current-widget').filter({ hasText: widgetId }).waitFor();
}

/** Signs in, picks the widget and opens its editor, loaded. */
async function openEditor(page: Page, widgetId: string): Promise<void> {
  await signIn(page, API_KEY);
  await choose(page, widgetId);
  await page.getByTestId('view-editor').click();
  await page.getByTestId('widget-editor').waitFor({ timeout: 10_000 });
}

const greetingField = (page: Page) => page.getByTestId('widget-editor').getByLabel('Greeting', { exact: true });

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
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS,
    port: 0,
    databaseUrl: ':memory:',
    logLevel: 'silent',
    apiKeys: [
      { key: API_KEY, owner: 'acme', widgets: [WIDGET, EMPTY_WIDGET, EDITED_WIDGET, NEW_WIDGET, INBOX_WIDGET] },
      { key: LONELY_KEY, owner: 'lonely', widgets: ['dash-lonely'] },
    ],
  });
  await register(WIDGET, 'Demo shop');
  await register(EMPTY_WIDGET, 'Quiet shop');
  await register(EDITED_WIDGET, 'Edited shop');
  await register(INBOX_WIDGET, 'Inbox shop');
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
  test('signed in with the key alone and the widget picked, shows the right counts, a drawn trends chart, the events sent, devices, offers, sources and the active session', async () => {
    const sent = await sendVisits(Date.now());
    const { context, page } = await openDashboard();
    try {
      await signIn(page, API_KEY);
      // The key's registered widgets, by name; the one with data is picked.
      const choices = page.getByTestId('widget-choice');
      await choices.first().waitFor({ timeout: 10_000 });
      const listed = await choices.evaluateAll((items) => items.map((item) => item.getAttribute('data-widget-id')));
      expect(listed).toEqual(expect.arrayContaining([WIDGET, EMPTY_WIDGET]));
      expect(await page.locator(`[data-testid="widget-choice"][data-widget-id="${WIDGET}"]`).innerText()).toContain('Demo shop');
      await choose(page, WIDGET);
      await page.getByTestId('trends-chart').locator('canvas').waitFor({ state: 'visible', timeout: 10_000 });

      // The eight cards of every collector; one with conversations adds their cards after them.
      const metrics = await page.getByTestId('summary-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-metric')));
      expect(metrics.slice(0, 8)).toEqual(['sessions', 'visitors', 'conversions', 'duration', 'messages', 'opens', 'clicks', 'errors']);
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
      const events = await topEvents.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-label')));
      for (const name of new Set(VISITS.flatMap((visit) => visit.names))) expect(events).toContain(name);
      expect(await topEvents.locator('li[data-label="message_sent"]').getAttribute('data-value')).toBe(String(EXPECTED.messages));

      const devices = await page.getByTestId('devices').innerText();
      expect(devices).toContain('Desktop');
      expect(devices).toContain('Mobile');
      const sources = await page.getByTestId('traffic-sources').innerText();
      expect(sources).toContain('newsletter');
      expect(sources).toContain('google.com');

      const active = page.getByTestId('active-sessions');
      await expect.poll(() => active.getByTestId('active-count').innerText(), { timeout: 5_000 }).toBe('1');

      // Offers: per offer and variant, shown (offer_shown events), clicked (the click stream) and CTR.
      const offers = page.getByTestId('offers-panel');
      await offers.getByTestId('offer-row').first().waitFor({ timeout: 10_000 });
      const rows = await offers.getByTestId('offer-row').evaluateAll((items) =>
        items.map((row) => ({
          offerId: row.getAttribute('data-offer'),
          buttonVariantId: row.getAttribute('data-variant'),
          shown: row.querySelector('[data-figure="shown"]')?.textContent,
          clicked: row.querySelector('[data-figure="clicked"]')?.textContent,
          ctr: row.querySelector('[data-figure="ctr"]')?.textContent,
        })),
      );
      expect(rows).toEqual(EXPECTED_OFFERS);
      // Under the ids, what visitors read (from the widget's document).
      expect(await offers.locator('[data-offer="offer-trail"][data-variant="v-urgent"]').innerText()).toContain('Get 20% off now');

      // The key and the widget picked live in sessionStorage, never in the URL; a reload keeps both.
      expect(page.url()).toBe(`${collector.url}/dashboard/`);
      expect(await page.evaluate(() => JSON.stringify(sessionStorage))).toContain(API_KEY);
      await page.reload();
      await page.getByTestId('current-widget').filter({ hasText: WIDGET }).waitFor({ timeout: 10_000 });
      await page.getByTestId('summary-card').first().waitFor({ timeout: 10_000 });

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

  test('a wrong key keeps the sign-in form with "That key was refused"; a key without registered widgets says so and offers "New widget"', async () => {
    const { context, page } = await openDashboard();
    try {
      await signIn(page, 'not-the-right-key-0000000000');
      const form = page.getByTestId('dashboard-signin');
      await form.getByRole('alert').filter({ hasText: 'That key was refused' }).waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('widget-picker').count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

      await signIn(page, LONELY_KEY);
      const empty = page.getByTestId('picker-empty');
      await empty.waitFor({ timeout: 5_000 });
      expect(await empty.innerText()).toContain('This key sees no registered widget yet');
      expect(await page.getByTestId('widget-choice').count()).toBe(0);
      expect(await page.getByTestId('new-widget').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('a widget with no events shows the empty state, not empty charts', async () => {
    const { context, page } = await openDashboard();
    try {
      await signIn(page, API_KEY);
      await choose(page, EMPTY_WIDGET);
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

  test('edits the greeting in the editor, with a live preview and no iframe, saves it, and the reloaded document shows it', async () => {
    const before = await getWidget(EDITED_WIDGET);
    const { context, page } = await openDashboard();
    try {
      await openEditor(page, EDITED_WIDGET);
      const greeting = 'Hello from the editor! Trail or road today?';
      await greetingField(page).fill(greeting);
      await page.getByTestId('editor-preview').filter({ hasText: greeting }).waitFor({ timeout: 5_000 });
      expect(await page.locator('iframe').count()).toBe(0);

      // A half-typed draft the schema refuses: the problem shows at the field, Save is off.
      await greetingField(page).fill('');
      await page.getByTestId('widget-editor').getByTestId('field-problems').filter({ hasText: 'greeting must not be empty' }).waitFor();
      expect(await page.getByTestId('editor-save').isDisabled()).toBe(true);

      await greetingField(page).fill(greeting);
      await page.getByTestId('editor-save').click();
      await page.getByTestId('editor-status').filter({ hasText: `revision ${before.revision + 1}` }).waitFor({ timeout: 10_000 });
      const saved = await getWidget(EDITED_WIDGET);
      expect(saved.revision).toBe(before.revision + 1);
      expect(saved.content.greeting).toBe(greeting);
      expect(saved.content.survey).toEqual(before.content.survey);

      // A reload keeps the key and the widget, and the editor loads what was saved.
      await page.reload();
      await page.getByTestId('view-editor').click();
      await page.getByTestId('widget-editor').waitFor({ timeout: 10_000 });
      expect(await greetingField(page).inputValue()).toBe(greeting);
    } finally {
      await context.close();
    }
  });

  test('a save after someone else saved says so, keeps the draft, and reloads their version only when asked', async () => {
    const { context, page } = await openDashboard();
    try {
      await openEditor(page, EDITED_WIDGET);
      const loaded = await getWidget(EDITED_WIDGET);
      // Someone else saves in between, with the revision they loaded.
      const theirs = `Their greeting ${randomUUID().slice(0, 8)}`;
      await putWidget(EDITED_WIDGET, { name: loaded.name, allowedOrigins: loaded.allowedOrigins, content: { ...loaded.content, greeting: theirs } }, loaded.revision);

      await greetingField(page).fill('My greeting');
      await page.getByTestId('editor-save').click();
      const stale = page.getByTestId('editor-stale');
      await stale.waitFor({ timeout: 10_000 });
      expect(await stale.innerText()).toContain('Someone else saved this widget after you loaded it');
      expect(await greetingField(page).inputValue()).toBe('My greeting');
      expect((await getWidget(EDITED_WIDGET)).content.greeting).toBe(theirs);

      await stale.getByRole('button', { name: 'Reload (discard my changes)' }).click();
      await expect.poll(() => greetingField(page).inputValue(), { timeout: 10_000 }).toBe(theirs);
      expect(await page.getByTestId('editor-stale').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('"New widget" takes an id, and the first save registers the widget, which the list then shows', async () => {
    const { context, page } = await openDashboard();
    try {
      await signIn(page, API_KEY);
      await page.getByTestId('new-widget').click();
      await page.getByTestId('new-widget-form').getByLabel('Widget id').fill(NEW_WIDGET);
      await page.getByTestId('new-widget-form').getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('widget-editor').waitFor({ timeout: 10_000 });
      await page.getByTestId('widget-editor').getByLabel('Name', { exact: true }).fill('Spring sale');
      await page.getByTestId('editor-save').click();
      await page.getByTestId('editor-status').filter({ hasText: 'Created' }).waitFor({ timeout: 10_000 });
      expect((await getWidget(NEW_WIDGET)).name).toBe('Spring sale');

      await page.getByRole('button', { name: 'Switch widget' }).click();
      await page.locator(`[data-testid="widget-choice"][data-widget-id="${NEW_WIDGET}"]`).filter({ hasText: 'Spring sale' }).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  });

  test('Rotate secret in the editor shows the new webhook secret once, with a warning, and the collector keeps it', async () => {
    const { context, page } = await openDashboard();
    try {
      await openEditor(page, EDITED_WIDGET);
      const section = page.getByTestId('webhook-section');
      await section.getByTestId('webhook-rotate').click();
      const secret = await section.getByTestId('webhook-secret-value').innerText({ timeout: 10_000 });
      expect(secret.length).toBeGreaterThan(20);
      expect(await section.getByTestId('webhook-secret').innerText()).toContain('it will not be shown again');
      expect((await getWidget(EDITED_WIDGET)) as unknown as { webhookSecretSet: boolean }).toMatchObject({ webhookSecretSet: true });
      await section.getByTestId('webhook-secret-done').click();
      expect(await page.getByText(secret).count()).toBe(0);
      expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain(secret);
    } finally {
      await context.close();
    }
  });

  test('a visitor’s message shows in the inbox with its unread mark, live; a reply sent from the inbox is stored in the conversation', async () => {
    const conversationId = uuidv7();
    const started = await visitorCall<StartedConversation>('/api/conversations', { method: 'POST', body: { id: conversationId, widgetId: INBOX_WIDGET, anonymousId: 'anon-e2e-7f3a9c' } });
    expect(started.status, 'POST /api/conversations').toBe(201);
    const { secret } = started.body;
    const say = (text: string) => visitorCall<ConversationMessage>(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { id: uuidv7(), text }, secret });
    expect((await say('Do you ship to Norway?')).status).toBe(201);

    const { context, page } = await openDashboard();
    try {
      await signIn(page, API_KEY);
      await choose(page, INBOX_WIDGET);
      await page.getByTestId('view-inbox').click();
      const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
      await item.waitFor({ timeout: 10_000 });
      expect(await item.getByTestId('conversation-preview').innerText()).toBe('Do you ship to Norway?');
      expect(await item.innerText()).toContain('Visitor 7f3a9c');
      expect(await item.getByTestId('unread-count').innerText()).toContain('1');
      await page.getByTestId('inbox-live').and(page.locator('[data-state="live"]')).waitFor({ timeout: 10_000 });

      // Opened: the thread shows it and the conversation is read.
      await item.click();
      const thread = page.getByTestId('thread');
      await thread.locator('[data-testid="thread-message"][data-author="visitor"]').filter({ hasText: 'Do you ship to Norway?' }).waitFor({ timeout: 10_000 });
      await expect.poll(() => item.getAttribute('data-unread'), { timeout: 5_000 }).toBe('0');

      // A message sent while the thread is open arrives through the stream.
      let sentAt = Date.now();
      expect((await say('And to Iceland?')).status).toBe(201);
      await thread.locator('[data-testid="thread-message"][data-author="visitor"]').filter({ hasText: 'And to Iceland?' }).waitFor({ timeout: 5_000 });
      console.log(`Inbox: a visitor message reached the open thread ${Date.now() - sentAt} ms after its POST was sent`);

      // A conversation started while the inbox is open comes in at the top, unread.
      const otherId = uuidv7();
      sentAt = Date.now();
      const other = await visitorCall<StartedConversation>('/api/conversations', { method: 'POST', body: { id: otherId, widgetId: INBOX_WIDGET, anonymousId: 'anon-e2e-51bb02', userId: 'customer-42' } });
      expect(other.status).toBe(201);
      expect(
        (await visitorCall(`/api/conversations/${otherId}/messages`, { method: 'POST', body: { id: uuidv7(), text: 'Where is my order?' }, secret: other.body.secret })).status,
      ).toBe(201);
      const first = page.getByTestId('conversation-item').first();
      await expect.poll(() => first.getAttribute('data-conversation-id'), { timeout: 5_000 }).toBe(otherId);
      console.log(`Inbox: a new conversation reached the top of the list ${Date.now() - sentAt} ms after it was started`);
      expect(await first.innerText()).toContain('customer-42');
      expect(await first.getAttribute('data-unread')).toBe('1');

      const reply = 'Yes, to both: 3-5 working days.';
      await page.getByTestId('reply-input').fill(reply);
      await page.getByTestId('reply-send').click();
      await thread.locator('[data-testid="thread-message"][data-author="agent"]').filter({ hasText: reply }).waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('pending-reply').count()).toBe(0);

      // What the visitor reads: the reply is stored once, as the team's.
      const stored = await visitorCall<MessagePage>(`/api/conversations/${conversationId}/messages?after=0`, { secret });
      expect(stored.status).toBe(200);
      expect(stored.body.messages.map((m) => [m.author, m.text])).toEqual([
        ['visitor', 'Do you ship to Norway?'],
        ['visitor', 'And to Iceland?'],
        ['agent', reply],
      ]);

      // Closing it takes it out of the open list.
      await thread.getByTestId('conversation-close').click();
      await item.waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      await context.close();
    }
  });
});
