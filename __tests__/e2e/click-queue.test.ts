import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { EventRow, RunningCollector } from '../../server/index';
import { currentEngine, engineLabel, until } from './support/driver';
import type { BrowserContextHandle, TestFrame, TestPage } from './support/driver';
import { startFaultProxy } from './support/fault-proxy';
import type { FaultProxy, ProxiedRequest } from './support/fault-proxy';
import { createEngineStage, waitForState, STAGE_COLLECTOR_OPTIONS } from './support/stage';
import type { EngineStage } from './support/stage';
import { DEMO_OFFER_IDS, showOffer } from './support/survey';

const WIDGET_ID = 'demo';
const SESSION_KEY = `framewire:${WIDGET_ID}:session_id`;
const CLICK_PATH = '/api/track/click/batch';
const QUEUE_PREFIX = 'srv_click_queue';

let collector: RunningCollector;
let proxy: FaultProxy;
let stage: EngineStage;

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS, port: 0, databaseUrl: ':memory:', logLevel: 'silent' });
  proxy = await startFaultProxy(collector.url);
  // Host page on localhost, widget on 127.0.0.1, collector (through the proxy) on a third port.
  stage = await createEngineStage({ collectorUrl: proxy.url });
});

afterAll(async () => {
  await stage?.close();
  await proxy?.close();
  await collector?.close();
});

/**
 * Whether the engine's driver emulates losing the network (`capabilities.offline`: Chromium
 * and Firefox, not WebKitGTK), known before the browser starts, for test names; the test
 * checks it against the running engine.
 */
const EMULATES_OFFLINE = currentEngine() !== 'webkit';

/**
 * Tells the page the network is back, as when the real one returns. Where the engine
 * emulates offline, it goes offline and online; elsewhere the network stays cut at the
 * fault proxy only, and the page gets the `offline` and `online` events dispatched.
 */
async function networkBack(context: BrowserContextHandle, page: TestPage): Promise<void> {
  expect(stage.engine.capabilities.offline, 'the test name says how the network comes back: update EMULATES_OFFLINE').toBe(EMULATES_OFFLINE);
  if (stage.engine.capabilities.offline) {
    await context.setOffline(true);
    await context.setOffline(false);
    return;
  }
  await page.evaluate(() => {
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
  });
}

/** The click queue's keys in the host page's localStorage, with the events each holds. */
const heldClicks = (page: TestPage): Promise<Record<string, string[]>> =>
  page.evaluate((prefix) => {
    const held: Record<string, string[]> = {};
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(prefix)) continue;
      const value = JSON.parse(localStorage.getItem(key) ?? '{}') as { e?: { id: string }[] };
      held[key] = (value.e ?? []).map((event) => event.id);
    }
    return held;
  }, QUEUE_PREFIX);

const heldIds = async (page: TestPage): Promise<string[]> => Object.values(await heldClicks(page)).flat();

const sessionOf = async (page: TestPage): Promise<string> => {
  const id = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
  if (!id) throw new Error('The host page has no session id.');
  return id;
};

/** Click rows the collector stored for one session (each test runs in its own browser context, so its own session). */
const storedClicks = async (sessionId: string): Promise<EventRow[]> =>
  (await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'click', limit: 10_000 })).filter((row) => row.sessionId === sessionId);

/** Opens the chat (the iframe is hidden until the launcher is clicked) and waits for the first offer. */
async function showOffers(page: TestPage, widget: TestFrame): Promise<void> {
  await page.click('[data-testid="widget-launcher"]');
  await showOffer(widget, DEMO_OFFER_IDS[0]);
}

/** Clicks offer buttons `n` times in the widget frame, every offer in turn, a run of clicks each (picking the answer that shows it). */
async function clickOffers(widget: TestFrame, n: number): Promise<void> {
  let button = '';
  let shownOffer = -1;
  for (let i = 0; i < n; i++) {
    const offer = Math.floor((i * DEMO_OFFER_IDS.length) / n);
    if (offer !== shownOffer) {
      button = await showOffer(widget, DEMO_OFFER_IDS[offer]);
      shownOffer = offer;
    }
    await widget.click(button);
  }
}

/** Waits until the host's click queue holds `n` events: the clicks have crossed the bridge. */
async function waitHeld(page: TestPage, n: number): Promise<string[]> {
  await page.waitFor(
    ([prefix, expected]) => {
      let total = 0;
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith(prefix)) total += ((JSON.parse(localStorage.getItem(key) ?? '{}') as { e?: unknown[] }).e ?? []).length;
      }
      return total === expected;
    },
    [QUEUE_PREFIX, n] as const,
    { timeout: 10_000, message: `${n} clicks in the host's click queue` },
  );
  return heldIds(page);
}

const clickRequests = (log: readonly ProxiedRequest[]): ProxiedRequest[] => log.filter((entry) => entry.method === 'POST' && entry.path === CLICK_PATH);

/** How often each id appears in the collector's `accepted` answers. */
function acceptedCounts(log: readonly ProxiedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of clickRequests(log)) for (const id of entry.accepted) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe(`in ${engineLabel()}, host page and widget on two origins, the host click queue`, () => {
  test(
    `offline clicks survive a reload and, once the network is back, every click is delivered exactly once in at most 4 requests (the demo acceptance path, through the UI)${EMULATES_OFFLINE ? '' : ' (network cut at the proxy, online event dispatched)'}`,
    async () => {
      proxy.restore();
      const context = await stage.newContext();
      const { page, widget } = await stage.openHost(context);
      await showOffers(page, widget);
      const sessionId = await sessionOf(page);

      proxy.cut();
      await clickOffers(widget, 20);
      const clicked = await waitHeld(page, 20);
      expect(new Set(clicked).size).toBe(20);
      expect(clickRequests(proxy.log).every((entry) => entry.outcome === 'cut')).toBe(true);

      // Only the collector is down: the host page and the widget still load.
      await page.reload();
      await waitForState(await stage.widgetOf(page), 'connected');
      expect((await heldIds(page)).sort()).toEqual([...clicked].sort());
      expect(await storedClicks(sessionId)).toHaveLength(0);

      // Network back: the page hears `online` (as when the real network returns).
      proxy.resetLog();
      proxy.restore();
      await networkBack(context, page);

      await until('20 clicks stored and the click queue empty', async () => {
        return (await storedClicks(sessionId)).length >= 20 && Object.keys(await heldClicks(page)).length === 0;
      });
      const rows = await storedClicks(sessionId);
      expect(rows).toHaveLength(20);
      expect(new Set(rows.map((row) => row.eventId))).toEqual(new Set(clicked));
      expect(rows.every((row) => row.offerId?.startsWith('offer-'))).toBe(true);

      const after = clickRequests(proxy.log);
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after.length).toBeLessThanOrEqual(4);
      expect(after.every((entry) => entry.failed.length === 0)).toBe(true);
      expect([...acceptedCounts(proxy.log).values()].every((n) => n === 1)).toBe(true);
      expect(await page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), QUEUE_PREFIX)).toEqual([]);
      await context.close();
    },
    30_000,
  );

  test('two tabs clicking while the collector fails half its requests (503, Retry-After: 1): each click accepted exactly once, srv_click_queue empty in both tabs', async () => {
    proxy.restore();
    const context = await stage.newContext();
    const first = await stage.openHost(context);
    const second = await stage.openHost(context);
    await showOffers(first.page, first.widget);
    await showOffers(second.page, second.widget);
    const sessionId = await sessionOf(first.page);
    expect(await sessionOf(second.page)).toBe(sessionId);

    proxy.resetLog();
    proxy.failHalf(1);
    const perTab = 15;
    await Promise.all([clickOffers(first.widget, perTab), clickOffers(second.widget, perTab)]);

    await until(
      `${2 * perTab} clicks stored and no ${QUEUE_PREFIX} key left`,
      async () =>
        (await storedClicks(sessionId)).length >= 2 * perTab &&
        Object.keys(await heldClicks(first.page)).length === 0 &&
        Object.keys(await heldClicks(second.page)).length === 0,
      20_000,
    );
    const rows = await storedClicks(sessionId);
    expect(rows).toHaveLength(2 * perTab);
    const ids = new Set(rows.map((row) => row.eventId));
    expect(ids.size).toBe(2 * perTab);

    // The proxy did fail requests, and what the collector accepted is exactly the stored set, each id once.
    const requests = clickRequests(proxy.log);
    expect(requests.some((entry) => entry.outcome === 'failed')).toBe(true);
    const accepted = acceptedCounts(proxy.log);
    expect(new Set(accepted.keys())).toEqual(ids);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect(requests.every((entry) => entry.failed.length === 0)).toBe(true);
    // Every id ever sent was stored: nothing was sent and then lost.
    expect(new Set(requests.flatMap((entry) => entry.sent))).toEqual(ids);

    const left = (page: TestPage) => page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), QUEUE_PREFIX);
    expect(await left(first.page)).toEqual([]);
    expect(await left(second.page)).toEqual([]);
    proxy.restore();
    await context.close();
  });

  test('a pending batch (fewer than 10 clicks, before the 5 s timer) is delivered when the page is hidden and unloaded', async () => {
    proxy.restore();
    const context = await stage.newContext();
    const { page, widget } = await stage.openHost(context);
    await showOffers(page, widget);
    const sessionId = await sessionOf(page);

    proxy.resetLog();
    const firstClick = Date.now();
    await clickOffers(widget, 5);
    const clicked = await waitHeld(page, 5);
    // Nothing has left yet: the batch is not full and its timer has not fired.
    expect(clickRequests(proxy.log)).toHaveLength(0);
    expect(Date.now() - firstClick).toBeLessThan(4000);

    await page.goto('about:blank');
    await until('the 5 clicks stored', async () => (await storedClicks(sessionId)).length >= 5, 4000);
    const rows = await storedClicks(sessionId);
    expect(new Set(rows.map((row) => row.eventId))).toEqual(new Set(clicked));
    expect(rows).toHaveLength(5);
    // One keepalive request carried them, sent after the navigation began.
    expect(clickRequests(proxy.log)).toHaveLength(1);
    await context.close();
  });
});
