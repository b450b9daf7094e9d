import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { engineLabel, until } from './support/driver';
import type { TestPage } from './support/driver';
import { createEngineStage, STAGE_COLLECTOR_OPTIONS } from './support/stage';
import type { EngineStage } from './support/stage';

let collector: RunningCollector;
let stage: EngineStage;

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS, port: 0, databaseUrl: ':memory:', logLevel: 'silent', retention: { schedule: false } });
  stage = await createEngineStage({ collectorUrl: collector.url });
});

afterAll(async () => {
  await stage?.close();
  await collector?.close();
});

/**
 * Records, in the page, every `console.error` line from now on: what the page's console
 * shows, read back with {@link consoleErrors}.
 */
const recordConsoleErrors = (page: TestPage): Promise<void> =>
  page.evaluate(() => {
    const w = window as unknown as { consoleErrors: string[] };
    w.consoleErrors = [];
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      w.consoleErrors.push(args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '));
      original(...args);
    };
  });

const consoleErrors = (page: TestPage): Promise<string[]> => page.evaluate(() => (window as unknown as { consoleErrors: string[] }).consoleErrors);

describe(`in ${engineLabel()}, framewire("identify") on the host page`, () => {
  test('links the visitor to the page’s user: stored in the host, on every analytics event and on the session; null forgets it', async () => {
    const context = await stage.newContext();
    const { page, widget } = await stage.openHost(context);
    await page.evaluate(() => (window as unknown as { framewire: (...args: unknown[]) => void }).framewire('identify', 'user-42', { plan: 'pro' }));
    expect(await page.evaluate(() => localStorage.getItem('framewire:demo:user_id'))).toBe('user-42');

    // An analytics event after identify: a chat message. Once it has crossed the bridge into the
    // host's event queue, the queue's batch timer (5 s after the first waiting event) sends it.
    // The test does not leave the page to hurry it: a page that leaves while a request is out
    // keeps its events for the next page view (docs/WIDGET.md), which is the click queue
    // tests' subject, not this one's.
    await page.click('[data-testid="widget-launcher"]');
    await widget.fill('[data-testid="chat-input"]', 'hello');
    await widget.click('[data-testid="chat-send"]');
    const visitor = (await page.evaluate(() => localStorage.getItem('framewire:demo:session_id'))) as string;
    // Not watched in the queue on the way: on a busy machine the message can go out in
    // identify's own batch before a look at the queue would see it.

    // Two batch timers at most (identify's, then the message's), with room for a busy machine.
    let names: string[] = [];
    try {
      await until(
        'the identify and message_sent events stored',
        async () => {
          names = (await collector.store.listEvents({ widgetId: 'demo', kind: 'analytics' })).filter((row) => row.sessionId === visitor).map((row) => row.name);
          return names.includes('identify') && names.includes('message_sent');
        },
        20_000,
      );
    } catch (error) {
      // Where the events were when time ran out: stored, or still in the page's queues.
      const queued = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('srv_')).map((key) => `${key}=${localStorage.getItem(key) ?? ''}`));
      throw new Error(`${(error as Error).message}; stored: ${names.join(', ') || 'none'}; in the page: ${queued.join(' | ') || 'nothing'}`, { cause: error });
    }
    const events = (await collector.store.listEvents({ widgetId: 'demo', kind: 'analytics' })).filter((row) => row.sessionId === visitor);
    const identify = events.find((row) => row.name === 'identify');
    expect(identify?.properties).toEqual({ plan: 'pro' });
    const after = events.filter((row) => row.name === 'identify' || row.name === 'message_sent');
    expect(after.map((row) => row.userId)).toEqual(['user-42', 'user-42']);

    await collector.analytics.drain();
    const today = isoDay(Math.floor(Date.now() / DAY_MS));
    const sessions = await collector.store.listSessions({ widgetId: 'demo', from: isoDay(Math.floor(Date.now() / DAY_MS) - 1), to: today, limit: 10, cursor: null });
    expect(sessions.sessions.find((session) => session.visitorId === visitor)?.userId).toBe('user-42');

    // The id survives a reload of the host page, and identify(null) forgets it.
    const again = await stage.openHost(context);
    expect(await again.page.evaluate(() => localStorage.getItem('framewire:demo:user_id'))).toBe('user-42');
    await again.page.evaluate(() => (window as unknown as { framewire: (...args: unknown[]) => void }).framewire('identify', null));
    expect(await again.page.evaluate(() => localStorage.getItem('framewire:demo:user_id'))).toBeNull();
    await context.close();
  });

  test('an invalid identify call is reported in the console and changes nothing', async () => {
    const context = await stage.newContext();
    const { page } = await stage.openHost(context);
    await recordConsoleErrors(page);
    await page.evaluate(() => (window as unknown as { framewire: (...args: unknown[]) => void }).framewire('identify', 'x'.repeat(129)));
    await page.evaluate(() => (window as unknown as { framewire: (...args: unknown[]) => void }).framewire('identify', 'ok', { __proto__: { polluted: true }, nested: { no: 1 } }));
    expect(await page.evaluate(() => localStorage.getItem('framewire:demo:user_id'))).toBeNull();
    expect(await page.evaluate(() => (Object.prototype as Record<string, unknown>).polluted)).toBeUndefined();
    expect((await consoleErrors(page)).filter((text) => text.includes('[framewire]') && text.includes('identify'))).toHaveLength(2);
    await context.close();
  });
});
