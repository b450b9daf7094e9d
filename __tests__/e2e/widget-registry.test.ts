import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDemoServers } from '../../examples/demo/demo-servers';
import type { RunningDemo } from '../../examples/demo/demo-servers';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { WidgetContent, WidgetDocument, WidgetDocumentInput } from '../../lib/protocol/widget-document';
import type { OffersReport } from '../../lib/protocol/analytics-api';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { send } from '../server/support/http';
import { engineLabel, sleep, until } from './support/driver';
import type { TestFrame, TestPage } from './support/driver';
import { startFaultProxy } from './support/fault-proxy';
import type { FaultProxy } from './support/fault-proxy';
import { createEngineStage, waitForState, STAGE_COLLECTOR_OPTIONS } from './support/stage';
import type { EngineStage } from './support/stage';
import { offerButton } from './support/survey';

/*
 * The widget registry end to end: a widget registered through the API, its content rendered
 * by the real widget app, its allowed sites enforced by the browser (frame-ancestors) and by
 * the collector (origin_not_allowed), and the offers report built from what visitors saw.
 */

const WIDGET_ID = 'shop';
const API_KEY = 'registry-e2e-key-0123456789';
const CONFIG_KEY = `framewire:${WIDGET_ID}:widget_config`;
const SESSION_KEY = `framewire:${WIDGET_ID}:session_id`;
/** How long a page on a refused origin is watched for a widget that must never load. */
const REFUSED_WATCH_MS = 3_000;

let collector: RunningCollector;
let proxy: FaultProxy;
let stage: EngineStage;

const content = (greeting: string, launcherLabel = 'Ask Acme'): WidgetContent => ({
  ...DEFAULT_WIDGET_CONTENT,
  greeting,
  theme: { accentColor: '#0f766e', position: 'bottom-left', launcherLabel },
});

/** Saves the widget through the registry API; returns the saved document. */
async function save(document: WidgetDocumentInput, revision: number | null): Promise<WidgetDocument> {
  const answer = await send(`${collector.url}/api/widgets/${WIDGET_ID}`, {
    method: 'PUT',
    body: document,
    headers: { authorization: `Bearer ${API_KEY}`, ...(revision === null ? {} : { 'if-match': `"${revision}"` }) },
  });
  expect(answer.status, answer.text).toBe(revision === null ? 201 : 200);
  return answer.json as WidgetDocument;
}

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS,
    port: 0,
    databaseUrl: ':memory:',
    logLevel: 'silent',
    apiKeys: [{ key: API_KEY, owner: 'acme', widgets: [WIDGET_ID] }],
  });
  // The widget reaches the collector through the proxy, so a test can take the collector away.
  proxy = await startFaultProxy(collector.url);
  stage = await createEngineStage({
    collectorUrl: proxy.url,
    getWidget: (widgetId) => collector.widgets.getWidget(widgetId),
    init: { widgetId: WIDGET_ID, queue: { maxBatchDelay: 100 } },
  });
});

afterAll(async () => {
  await stage?.close();
  await proxy?.close();
  await collector?.close();
});

/** Opens the panel of the widget in `page` (the launcher is in the host page's shadow root). */
async function openPanel(page: TestPage, widget: TestFrame): Promise<void> {
  await page.click('[data-testid="widget-launcher"]');
  await widget.waitForSelector('[data-testid="chat-messages"]', { visible: true });
}

const waitForText = (widget: TestFrame, text: string): Promise<true> =>
  widget.waitFor((wanted) => (document.body.textContent?.includes(wanted) ? true : null), text, {
    timeout: 10_000,
    message: `the widget to show "${text}"`,
  });

const hostItem = (page: TestPage, key: string): Promise<string | null> => page.evaluate((name) => localStorage.getItem(name), key);

describe('the widget registry', () => {
  let revision = 0;

  beforeAll(async () => {
    revision = (await save({ name: 'Shop', allowedOrigins: [stage.hostOrigin], content: content('Welcome to Acme, first edition.') }, null)).revision;
  });

  test(`in ${engineLabel()}, the widget shows its registered content and theme, shows it from the host's storage with the collector down, and a saved change after a reload`, async () => {
    const { page, widget } = await stage.openHost();
    await openPanel(page, widget);
    await waitForText(widget, 'Welcome to Acme, first edition.');
    // The theme reaches what the host draws: the launcher's name.
    await page.waitFor(
      () => {
        const host = document.querySelector('[data-framewire]');
        return host?.shadowRoot?.querySelector('[data-testid="widget-launcher"]')?.getAttribute('aria-label') === 'Ask Acme' ? true : null;
      },
      undefined,
      { timeout: 5_000, message: 'the launcher to take the configured label' },
    );
    await page.waitFor((key) => (localStorage.getItem(key) ? true : null), CONFIG_KEY, { timeout: 5_000, message: 'the config kept in host storage' });

    await proxy.fault({ kind: 'refuse' });
    try {
      await page.reload();
      const again = await stage.widgetOf(page);
      await openPanel(page, again);
      await waitForText(again, 'Welcome to Acme, first edition.');
    } finally {
      await proxy.heal();
    }

    revision = (await save({ name: 'Shop', allowedOrigins: [stage.hostOrigin], content: content('Second edition: free returns.') }, revision)).revision;
    await page.reload();
    const updated = await stage.widgetOf(page);
    await openPanel(page, updated);
    await waitForText(updated, 'Second edition: free returns.');
    expect(await updated.evaluate(() => document.body.textContent?.includes('first edition') ?? false)).toBe(false);
    await page.close();
  });

  test(`in ${engineLabel()}, a page on an origin outside allowedOrigins cannot frame the widget, while the allowed origin can`, async () => {
    const context = await stage.newContext();
    const refused = await context.newPage();
    await refused.goto(stage.demo.otherHostUrl);
    // The embed mounts the iframe; the browser refuses to render widget.html in it, so the
    // widget never runs: no handshake, and nothing the widget writes through the bridge (its
    // config copy) in this page's storage. (The visitor id is the embed's own, made at init.)
    await refused.waitFor(() => (document.querySelector('[data-framewire]') ? true : null), undefined, { timeout: 5_000, message: 'the embed to mount' });
    const allowed = await stage.openHost(context);
    // The widget writes its config copy through the bridge once connected and the config fetched.
    const written = await allowed.page.waitFor((name) => localStorage.getItem(name), CONFIG_KEY, {
      timeout: 5_000,
      message: 'the allowed page to hold the widget config copy',
    });
    expect(written).not.toBeNull();
    await sleep(REFUSED_WATCH_MS);
    expect(await hostItem(refused, CONFIG_KEY)).toBeNull();
    await context.close();
  });

  test(`in ${engineLabel()}, a visitor keeps one variant of an offer across reloads, and the offers report counts what was shown and clicked`, async () => {
    const context = await stage.newContext();
    const { page, widget } = await stage.openHost(context);
    const variantOf = async (frame: TestFrame): Promise<string> => {
      await openPanel(page, frame);
      await frame.waitForSelector('[data-testid="answer-button"][data-answer-id="a-trail"]', { visible: true });
      await frame.click('[data-testid="answer-button"][data-answer-id="a-trail"]');
      await frame.waitForSelector(offerButton('offer-trail'), { visible: true });
      return frame.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-variant-id') ?? '', offerButton('offer-trail'));
    };
    const first = await variantOf(widget);
    expect(['v-primary', 'v-urgent']).toContain(first);
    await page.reload();
    const again = await stage.widgetOf(page);
    await waitForState(again, 'connected');
    expect(await variantOf(again)).toBe(first);
    await again.click(offerButton('offer-trail'));

    const sessionId = await hostItem(page, SESSION_KEY);
    const report = async (): Promise<OffersReport> =>
      (await send(`${collector.url}/api/analytics/widget/${WIDGET_ID}/offers`, { headers: { authorization: `Bearer ${API_KEY}` } })).json as OffersReport;
    const deadline = Date.now() + 10_000;
    let figures = (await report()).offers.find((row) => row.offerId === 'offer-trail' && row.buttonVariantId === first);
    while ((figures?.clicked ?? 0) < 1 || (figures?.shown ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error(`the offers report never counted the click and both showings: ${JSON.stringify(figures)}`);
      await sleep(200);
      figures = (await report()).offers.find((row) => row.offerId === 'offer-trail' && row.buttonVariantId === first);
    }
    // Shown once per page view (two views), clicked once, all in this visitor's variant.
    const shown = (await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'analytics', limit: 10_000 })).filter(
      (row) => row.sessionId === sessionId && row.name === 'offer_shown',
    );
    expect(shown.map((row) => row.properties?.['buttonVariantId'])).toEqual([first, first]);
    const clicks = (await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'click', limit: 10_000 })).filter((row) => row.sessionId === sessionId);
    expect(clicks.map((row) => [row.offerId, row.questionId, row.buttonVariantId])).toEqual([['offer-trail', 'q-visit-reason', first]]);
    await context.close();
  });
});

describe('a widget app that cannot name the sites (served as static files, as from a CDN)', () => {
  let cdn: RunningDemo;

  beforeAll(async () => {
    // The same host page on yet another origin, framing the widget from a widget app server
    // that does not read the registry: the browser lets any page frame it.
    cdn = await startDemoServers({ collectorUrl: proxy.url, init: { widgetId: WIDGET_ID, queue: { maxBatchDelay: 100 } } });
  });
  afterAll(async () => {
    await cdn?.close();
  });

  test(`in ${engineLabel()}, the collector refuses the events of a page outside allowedOrigins with origin_not_allowed, counts them and stores none; the page stops sending`, async () => {
    const before = collector.refusals().originNotAllowed;
    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(cdn.hostUrl);
    const widget = await page.frame(cdn.widgetOrigin);
    await waitForState(widget, 'connected');
    const sessionId = await page.waitFor((key) => localStorage.getItem(key), SESSION_KEY, { timeout: 5_000, message: 'a session id' });
    // widget_loaded goes out at once: the collector answers 403 origin_not_allowed.
    await until('the collector to refuse the page', () => collector.refusals().originNotAllowed > before);
    await page.waitFor(
      () => {
        // The queues' keys are gone once the refusal dropped what they held.
        const held = Object.keys(localStorage).filter((key) => key.startsWith('srv_'));
        return held.every((key) => !(localStorage.getItem(key) ?? '').includes('"id"')) ? true : null;
      },
      undefined,
      { timeout: 10_000, message: 'the refused events to leave the queue' },
    );
    expect(collector.refusals().originNotAllowed).toBeGreaterThan(before);
    const stored = (await collector.store.listEvents({ widgetId: WIDGET_ID, limit: 10_000 })).filter((row) => row.sessionId === sessionId);
    expect(stored).toEqual([]);
    // No retry storm: after the refusal the page sends nothing more for the page view.
    const requests = proxy.count('/api/analytics/events/batch') + proxy.count('/api/track/click/batch');
    await sleep(1_500);
    expect(proxy.count('/api/analytics/events/batch') + proxy.count('/api/track/click/batch')).toBe(requests);
    await context.close();
  });
});
