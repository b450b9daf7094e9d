import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { EventRow, RunningCollector } from '../../server/index';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { SessionPage } from '../../lib/protocol/analytics-api';
import { parseCsv } from '../server/support/csv';
import { BROWSER_USER_AGENT } from '../support/events';
import { launchChromium } from './support/harness';

const ROOT = resolve(import.meta.dirname, '../..');
const API_KEY = 'export-test-key-0123456789';
const WIDGET = 'export-demo';
const MINUTE = 60_000;

let collector: RunningCollector;
let browser: Browser;

/** Three visitors' events over the last hours, with cells a spreadsheet would run. */
async function ingest(now: number): Promise<void> {
  const events = ['alpha', 'bravo', 'charlie'].flatMap((visitor, v) =>
    ['widget_loaded', 'widget_opened', 'message_sent'].map((name, i) => ({
      id: randomUUID(),
      name,
      category: i === 2 ? '=HYPERLINK("https://evil.example")' : 'engagement',
      sessionId: `visitor-${visitor}`,
      anonymousId: `anon-${visitor}`,
      timestamp: now - (v + 1) * 20 * MINUTE + i * 1000,
      properties: { note: 'a, "quoted" value' },
    })),
  );
  const response = await fetch(`${collector.url}/api/analytics/events/batch`, {
    method: 'POST',
    // A visitor's browser, as the embed's requests come: Node's own user agent is a bot's.
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_USER_AGENT },
    body: JSON.stringify({ widgetId: WIDGET, events }),
  });
  if (response.status !== 200) throw new Error(`ingestion answered ${response.status}`);
  await collector.analytics.drain();
}

/** Signs in, picks the widget, picks table and format, clicks Export; the downloaded file's text. */
async function exportFromDashboard(table: string, format: string): Promise<{ filename: string; text: string; urls: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 1000 } });
  try {
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await page.goto(`${collector.url}/dashboard/`);
    const form = page.getByTestId('dashboard-signin');
    await form.getByLabel('API key').fill(API_KEY);
    await form.getByLabel('API key').press('Enter');
    await page.locator(`[data-testid="widget-choice"][data-widget-id="${WIDGET}"]`).click({ timeout: 10_000 });
    await page.getByTestId('export-table').selectOption(table);
    await page.getByTestId('export-format').selectOption(format);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('export-button').click()]);
    const path = await download.path();
    return { filename: download.suggestedFilename(), text: readFileSync(path, 'utf8'), urls };
  } finally {
    await context.close();
  }
}

const today = (): string => new Date().toISOString().slice(0, 10);
const weekAgo = (): string => new Date(Date.now() - 6 * 24 * 60 * MINUTE).toISOString().slice(0, 10);

beforeAll(async () => {
  if (!existsSync(resolve(ROOT, 'dist/dashboard/dashboard.html'))) {
    throw new Error('The dashboard test runs against the build: run `npm run build:dashboard` first (`npm run test:e2e` builds everything).');
  }
  collector = await startCollector({ port: 0, databaseUrl: ':memory:', logLevel: 'silent', apiKeys: [{ key: API_KEY, owner: 'acme', widgets: [WIDGET] }] });
  const registered = await fetch(`${collector.url}/api/widgets/${WIDGET}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Export shop', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }),
  });
  if (registered.status !== 201) throw new Error(`PUT answered ${registered.status}`);
  await ingest(Date.now());
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('the dashboard export', () => {
  test('in Chromium, downloads the stored events of the range shown as CSV, the key never in a URL', async () => {
    const { filename, text, urls } = await exportFromDashboard('events', 'csv');
    expect(filename).toBe(`${WIDGET}-events-${weekAgo()}-${today()}.csv`);
    // The export lists events by id (SQLite compares them as bytes, as `<` does here).
    const stored: EventRow[] = (await collector.store.listEvents({ widgetId: WIDGET, limit: 1000 })).sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    expect(stored).toHaveLength(9);
    const [header, ...lines] = parseCsv(text);
    const column = (name: string): number => header?.indexOf(name) ?? -1;
    expect(lines.map((line) => line[column('event_id')])).toEqual(stored.map((row) => row.eventId));
    expect(lines.map((line) => Number(line[column('ts')]))).toEqual(stored.map((row) => row.ts));
    expect(lines.map((line) => line[column('name')])).toEqual(stored.map((row) => row.name));
    expect(lines.map((line) => line[column('category')])).toEqual(stored.map((row) => (row.category?.startsWith('=') ? `'${row.category}` : row.category)));
    expect(lines.map((line) => JSON.parse(line[column('properties')] ?? 'null') as unknown)).toEqual(stored.map((row) => row.properties));
    expect(urls.filter((url) => url.includes(API_KEY))).toEqual([]);
  });

  test('in Chromium, downloads the stored sessions as ndjson', async () => {
    const { filename, text } = await exportFromDashboard('sessions', 'ndjson');
    expect(filename).toBe(`${WIDGET}-sessions-${weekAgo()}-${today()}.ndjson`);
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { session_id: string; first_ts: number; events: number });
    const read = await fetch(`${collector.url}/api/analytics/widget/${WIDGET}/sessions?limit=100`, { headers: { authorization: `Bearer ${API_KEY}` } });
    const page = (await read.json()) as SessionPage;
    // The read API lists newest first; the export oldest first.
    const expected = [...page.sessions].reverse();
    expect(rows.map((row) => [row.session_id, row.first_ts, row.events])).toEqual(expected.map((session) => [session.sessionId, session.startedAt, session.events]));
    expect(rows).toHaveLength(3);
  });
});
