import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { engineLabel, until } from './support/driver';
import { createEngineStage } from './support/stage';
import type { EngineStage } from './support/stage';

let collector: RunningCollector;
let stage: EngineStage;

beforeAll(async () => {
  // The collector's defaults, bots left out: unlike every other browser test (STAGE_COLLECTOR_OPTIONS).
  collector = await startCollector({ port: 0, databaseUrl: ':memory:', logLevel: 'silent', retention: { schedule: false } });
  stage = await createEngineStage({ collectorUrl: collector.url });
});

afterAll(async () => {
  await stage?.close();
  await collector?.close();
});

describe(`in ${engineLabel()}, a collector with its defaults`, () => {
  test('stores the events of a driven browser (navigator.webdriver), leaves them out of the summary and counts them as bot events', async () => {
    const { page } = await stage.openHost();
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);
    // The widget records widget_loaded by itself; the host's queue sends it within its batch timer.
    await until('the widget_loaded event stored', async () => (await collector.store.listEvents({ widgetId: 'demo', kind: 'analytics' })).some((row) => row.name === 'widget_loaded'), 20_000);

    const today = Math.floor(Date.now() / DAY_MS);
    const range = { widgetId: 'demo', from: isoDay(today - 1), to: isoDay(today + 1) };
    // More events may still come in (the page keeps sending): compare once the fold has caught up with what is stored.
    let stored = 0;
    await until(
      'every stored event counted as a bot event',
      async () => {
        await collector.analytics.drain();
        stored = (await collector.store.listEvents({ widgetId: 'demo' })).length;
        return (await collector.store.summary(range)).bots.excluded === stored;
      },
      20_000,
    );
    expect((await collector.store.listEvents({ widgetId: 'demo' })).every((row) => row.bot)).toBe(true);
    const summary = await collector.store.summary(range);
    expect(summary).toMatchObject({ events: 0, sessions: 0, visitors: 0 });
    expect(summary.bots.excluded).toBeGreaterThanOrEqual(stored);
  });
});
