import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { currentEngine, engineLabel, sleep, until } from './support/driver';
import type { TestFrame, TestPage } from './support/driver';
import { createEngineStage, STAGE_COLLECTOR_OPTIONS, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';
import { showOffer } from './support/survey';

const WIDGET_ID = 'demo';
const SESSION_KEY = `framewire:${WIDGET_ID}:session_id`;
/** A short batch timer, so that a queue that were running would have sent long before the test looks. */
const QUEUE = { maxBatchDelay: 200 };
/** How long the test watches for events that must not come: ten batch timers. */
const QUIET_MS = 2_000;
/** Defines the signal as a browser with Global Privacy Control on does, before the page's scripts. */
const GPC_ON = "Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });";

let collector: RunningCollector;
/** Pages that set no consent option: the browser's signal alone decides. */
let plain: EngineStage;
/** Pages whose `init` sets `consentRequired`. */
let required: EngineStage;

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS, port: 0, databaseUrl: ':memory:', logLevel: 'silent', retention: { schedule: false } });
  plain = await createEngineStage({ collectorUrl: collector.url, init: { queue: QUEUE } });
  required = await createEngineStage({ collectorUrl: collector.url, init: { consentRequired: true, queue: QUEUE } });
});

afterAll(async () => {
  await required?.close();
  await plain?.close();
  await collector?.close();
});

/** Everything the collector stored for the visitor: analytics event names and offer clicks. */
async function storedFor(sessionId: string): Promise<{ names: string[]; clicks: number }> {
  const analytics = await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'analytics', limit: 10_000 });
  const clicks = await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'click', limit: 10_000 });
  return {
    names: analytics.filter((row) => row.sessionId === sessionId).map((row) => row.name ?? ''),
    clicks: clicks.filter((row) => row.sessionId === sessionId).length,
  };
}

/** The analytics events {@link interact} makes, with `widget_loaded` from the widget's start. */
const EXPECTED = ['widget_loaded', 'survey_answered', 'offer_clicked', 'message_sent'];

/** Opens the chat, answers the survey, clicks an offer and sends a message; returns the visitor's session id. */
async function interact(page: TestPage, widget: TestFrame): Promise<string> {
  await page.click('[data-testid="widget-launcher"]');
  await widget.click(await showOffer(widget));
  await widget.fill('[data-testid="chat-input"]', 'hello');
  await widget.click('[data-testid="chat-send"]');
  return page.waitFor((key) => localStorage.getItem(key), SESSION_KEY, { message: 'the visitor’s session id in the host page' });
}

/** The event queues' keys in the host page's localStorage (`srv_click_queue:<tab>`, `srv_event_queue:<tab>`). */
const queueKeys = (page: TestPage): Promise<string[]> => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('srv_')));

/** Asks every waiting event to leave: the page says it is hidden and going, as it does on a tab switch or a close. */
const askToFlush = (page: TestPage): Promise<void> =>
  page.evaluate(() => {
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide'));
  });

const consent = (page: TestPage, analytics: boolean): Promise<void> =>
  page.evaluate((value) => (window as unknown as { framewire: (...args: unknown[]) => void }).framewire('consent', { analytics: value }), analytics);

/** WebDriver classic has no command that runs a script before the page's own, so the signal cannot be set in time there. */
const NO_INIT_SCRIPTS = currentEngine() === 'webkit';

describe(`in ${engineLabel()}, consent on the host page`, () => {
  test.skipIf(NO_INIT_SCRIPTS)(
    `with Global Privacy Control on, no analytics event or offer click reaches the collector, and nothing is stored in the page, until the page gives consent${NO_INIT_SCRIPTS ? ' (skipped in WebKit: WebDriver classic cannot define navigator.globalPrivacyControl before the page’s scripts)' : ''}`,
    async () => {
      expect(plain.engine.capabilities.initScripts).toBe(true);
      const context = await plain.newContext();
      await context.addInitScript(GPC_ON);
      const { page, widget } = await plain.openHost(context);
      expect(await page.evaluate(() => (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)).toBe(true);
      const visitor = await interact(page, widget);
      await askToFlush(page);
      await sleep(QUIET_MS);
      expect(await storedFor(visitor)).toEqual({ names: [], clicks: 0 });
      expect(await queueKeys(page)).toEqual([]);

      // The site has consent after all (its consent manager says so): it overrides the signal.
      await consent(page, true);
      await until('the held events stored', async () => {
        const { names } = await storedFor(visitor);
        return EXPECTED.every((name) => names.includes(name));
      }, 15_000);
      await until('the click stored', async () => (await storedFor(visitor)).clicks === 1, 15_000);
      await context.close();
    },
  );

  test('with consentRequired, events are held until consent({ analytics: true }), then all reach the collector', async () => {
    const context = await required.newContext();
    const { page, widget } = await required.openHost(context);
    const visitor = await interact(page, widget);
    await askToFlush(page);
    await sleep(QUIET_MS);
    expect(await storedFor(visitor)).toEqual({ names: [], clicks: 0 });
    expect(await queueKeys(page)).toEqual([]);

    await consent(page, true);
    await until('the held events stored', async () => {
        const { names } = await storedFor(visitor);
        return EXPECTED.every((name) => names.includes(name));
      }, 15_000);
    await until('the click stored', async () => (await storedFor(visitor)).clicks === 1, 15_000);
    await context.close();
  });

  test('with consentRequired, a refusal drops the held events for good: consent on the next page sends only that page’s events', async () => {
    const context = await required.newContext();
    const { page, widget } = await required.openHost(context);
    const visitor = await interact(page, widget);
    await consent(page, false);
    await askToFlush(page);
    expect(await queueKeys(page)).toEqual([]);

    // The visitor changes their mind on the next page view: only what happens from then on is sent.
    await page.reload();
    await waitForState(await required.widgetOf(page), 'connected');
    await consent(page, true);
    await until('the next page’s widget_loaded stored', async () => (await storedFor(visitor)).names.includes('widget_loaded'), 15_000);
    await askToFlush(page);
    await sleep(QUIET_MS);
    expect(await storedFor(visitor)).toEqual({ names: ['widget_loaded'], clicks: 0 });
    await context.close();
  });
});
