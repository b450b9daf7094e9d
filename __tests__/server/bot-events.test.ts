import { afterAll, afterEach, beforeAll, describe, expect, it, test } from 'vitest';
import { loadConfig, startCollector } from '../../server';
import { botVerdict } from '../../server/ingest';
import type { AnalyticsSummary, RunningCollector } from '../../server';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, batch, BROWSER_USER_AGENT, click } from '../support/events';
import { post, send } from './support/http';

const KEY = 'bots-key-0123456789abcdef';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const ANALYTICS_BATCH = '/api/analytics/events/batch';
const CLICK_BATCH = '/api/track/click/batch';

/** An analytics event of `visitor` whose page reported `userAgent`. */
const eventOf = (visitor: string, userAgent: string, timestamp: number) =>
  analytics({ sessionId: visitor, anonymousId: visitor, timestamp, context: { page: 'https://shop.example/', userAgent } });

describe('the keepBots setting', () => {
  it('is off by default and read from COLLECTOR_KEEP_BOTS', () => {
    expect(loadConfig({}).keepBots).toBe(false);
    expect(loadConfig({ COLLECTOR_KEEP_BOTS: '1' }).keepBots).toBe(true);
    expect(() => loadConfig({ COLLECTOR_KEEP_BOTS: 'maybe' })).toThrow(/COLLECTOR_KEEP_BOTS/);
  });
});

describe('the bot verdict', () => {
  test('marks a headless browser, a crawler and a tool by their user agent, not a browser or a missing user agent', () => {
    const isBot = botVerdict({ automated: false, keepBots: false });
    expect([HEADLESS, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0'].map(isBot)).toEqual([true, true, true]);
    expect([BROWSER_USER_AGENT, null].map(isBot)).toEqual([false, false]);
  });

  test('marks every event of an automated batch, whatever its user agent; marks nothing while bots are kept', () => {
    expect([BROWSER_USER_AGENT, null].map(botVerdict({ automated: true, keepBots: false }))).toEqual([true, true]);
    expect([HEADLESS, BROWSER_USER_AGENT].map(botVerdict({ automated: true, keepBots: true }))).toEqual([false, false]);
  });
});

describe.each(ENGINES)('bot events on $name', ({ create }) => {
  let fixture: EngineFixture;
  let collector: RunningCollector | undefined;
  const now = Date.now();
  const widgetId = 'w-bots';
  // From yesterday, so events of a run just after midnight UTC are still in range.
  const from = new Date(now - 86_400_000).toISOString().slice(0, 10);

  const start = async (keepBots: boolean): Promise<RunningCollector> => {
    collector = await startCollector({
      port: 0,
      databaseUrl: await fixture.freshDatabaseUrl(),
      logLevel: 'silent',
      apiKeys: [{ key: KEY, owner: 'acme', widgets: [widgetId] }],
      retention: { schedule: false },
      keepBots,
    });
    return collector;
  };
  const summaryOf = async (running: RunningCollector): Promise<AnalyticsSummary> => {
    await running.analytics.drain();
    const answer = await send(`${running.url}/api/analytics/widget/${widgetId}/summary?from=${from}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(answer.status).toBe(200);
    return answer.json as AnalyticsSummary;
  };

  /**
   * One visitor's batch from a browser, one from a headless browser (by its user agent), one
   * from an automated browser with a browser's user agent (`automated: true`), and one click
   * whose event carries no user agent, sent by a headless browser (the request's `User-Agent`).
   */
  const sendMix = async (running: RunningCollector) => {
    const human = [eventOf('human', BROWSER_USER_AGENT, now - 3000), eventOf('human', BROWSER_USER_AGENT, now - 2000)];
    const headless = [eventOf('headless', HEADLESS, now - 3000), eventOf('headless', HEADLESS, now - 2000), eventOf('headless', HEADLESS, now - 1000)];
    const driven = [eventOf('driven', BROWSER_USER_AGENT, now - 1500)];
    const headlessClick = click({ sessionId: 'headless', timestamp: now - 500, userAgent: undefined });
    const answers = [
      await post(running.url, ANALYTICS_BATCH, batch(human, widgetId)),
      await post(running.url, ANALYTICS_BATCH, batch(headless, widgetId)),
      await post(running.url, ANALYTICS_BATCH, { ...batch(driven, widgetId), automated: true }),
      await post(running.url, CLICK_BATCH, batch([headlessClick], widgetId), { headers: { 'user-agent': HEADLESS } }),
    ];
    return { answers, headless, driven };
  };

  beforeAll(() => {
    fixture = create();
  });
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });
  afterAll(async () => {
    await fixture?.teardown();
  });

  it('by default stores bot events, marked, leaves them out of the summary and counts them as bots', async () => {
    const running = await start(false);
    const { answers } = await sendMix(running);
    // Every event is a real delivery: accepted, none failed.
    for (const answer of answers) expect(answer.json).toMatchObject({ duplicates: [], failed: [] });
    expect(answers.flatMap((answer) => (answer.json as { accepted: string[] }).accepted)).toHaveLength(7);

    const summary = await summaryOf(running);
    expect(summary).toMatchObject({ events: 2, clicks: 0, visitors: 1, sessions: 1, opens: 2, bots: { excluded: 5 } });
    const stored = await running.store.listEvents({ widgetId });
    expect(stored).toHaveLength(7);
    expect(stored.filter((row) => row.bot).map((row) => row.sessionId).sort()).toEqual(['driven', 'headless', 'headless', 'headless', 'headless']);
    expect((await running.store.listSessions({ widgetId, from, to: new Date(now).toISOString().slice(0, 10), limit: 10, cursor: null })).sessions.map((s) => s.visitorId)).toEqual(['human']);
  });

  it('answers a resent bot batch as duplicates and counts its events once', async () => {
    const running = await start(false);
    const { headless } = await sendMix(running);
    const again = await post(running.url, ANALYTICS_BATCH, batch(headless, widgetId));
    expect(again.json).toEqual({ accepted: [], duplicates: headless.map((event) => event.id), failed: [] });
    expect((await summaryOf(running)).bots).toEqual({ excluded: 5 });
  });

  it('refuses an envelope whose automated flag is not a boolean with 400, storing nothing', async () => {
    const running = await start(false);
    const answer = await post(running.url, ANALYTICS_BATCH, { ...batch([eventOf('human', BROWSER_USER_AGENT, now)], widgetId), automated: 'yes' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: expect.stringContaining('automated') });
    expect(await running.store.listEvents({ widgetId })).toEqual([]);
  });

  it('with keepBots counts bot events like any other', async () => {
    const running = await start(true);
    await sendMix(running);
    const summary = await summaryOf(running);
    expect(summary).toMatchObject({ events: 7, clicks: 1, visitors: 3, sessions: 3, conversions: 1, bots: { excluded: 0 } });
    expect((await running.store.listEvents({ widgetId })).filter((row) => row.bot)).toEqual([]);
  });
});
