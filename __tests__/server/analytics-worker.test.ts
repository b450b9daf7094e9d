import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import type { EventRow } from '../../server';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { referenceDaily, referenceSessions } from './support/analytics-rows';
import { ENGINES } from './support/engines';
import { post, send } from './support/http';
import { analytics, batch, click } from '../support/events';
import { startCollectorProcess } from '../support/collector-process';
import type { CollectorProcess } from '../support/collector-process';
import { withDeadline } from '../support/deadline';

const WIDGET = 'folded';
const NAMES = ['widget_opened', 'message_sent', 'message_received', 'error', 'widget_loaded'] as const;
/** The analytics must have caught up this long after their last batch, or after a takeover. */
const CATCH_UP_MS = 10_000;

let sent = 0;
/**
 * One visitor's batch as a page sends it: 7 visitors, events spread over the last 3 hours so
 * that visitors have several sessions, some batches reaching back into a session already
 * folded, clicks and analytics events mixed.
 */
function visitorBatch(): { path: string; body: Record<string, unknown> } {
  const n = sent++;
  const sessionId = `visitor-${n % 7}`;
  const base = Date.now() - (30 + ((n * 37) % 180)) * 60_000;
  if (n % 3 === 0) {
    return { path: '/api/track/click/batch', body: batch([click({ sessionId, timestamp: base }), click({ sessionId, timestamp: base + 1000 })], WIDGET) };
  }
  const events = Array.from({ length: 4 }, (_, i) => analytics({ sessionId, name: NAMES[(n + i) % NAMES.length], timestamp: base + i * 7 * 60_000 }));
  return { path: '/api/analytics/events/batch', body: batch(events, WIDGET) };
}

/** Sends `count` batches, some at the same time, expects every one answered 200, and says how many events they held. */
async function sendBatches(url: string, count: number): Promise<number> {
  const batches = Array.from({ length: count }, visitorBatch);
  const answers = await Promise.all(batches.map(({ path, body }) => post(url, path, body)));
  expect(answers.map((a) => [a.status, (a.json as { failed: unknown[] }).failed])).toEqual(answers.map(() => [200, []]));
  return batches.reduce((sum, { body }) => sum + (body.events as unknown[]).length, 0);
}

interface Readiness {
  analytics: { leader: boolean; backlog: number };
}

const readiness = async (collector: CollectorProcess): Promise<Readiness> => (await send(`${collector.url}/readyz`)).json as Readiness;

/** Polls until `check` holds; fails after `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  await withDeadline(
    (async () => {
      while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
    })(),
    ms,
    what,
  );
  return Date.now() - started;
}

/**
 * The analytics of the widget equal a from-scratch computation over its stored raw events:
 * every day's counters and the sessions; and nothing is left to fold.
 */
async function expectExact(databaseUrl: string): Promise<number> {
  const store = await openStore({ databaseUrl });
  try {
    expect(await store.analyticsBacklog()).toBe(0);
    const rows: EventRow[] = await store.listEvents({ widgetId: WIDGET, limit: 1_000_000 });
    const today = Math.floor(Date.now() / DAY_MS);
    const range = { widgetId: WIDGET, from: isoDay(today - 1), to: isoDay(today) };
    const trends = await store.trends(range);
    const counted = Object.fromEntries(trends.days.filter((d) => d.events > 0).map(({ date, ...counters }) => [date, counters]));
    expect(counted).toEqual(Object.fromEntries([...referenceDaily(rows)].map(([day, counters]) => [isoDay(day), counters])));
    expect((await store.summary(range)).sessions).toBe(referenceSessions(rows).length);
    return rows.length;
  } finally {
    await store.close();
  }
}

describe.each(ENGINES)('the analytics worker on $name, with collectors killed', ({ create }) => {
  const fixture = create();
  const children: CollectorProcess[] = [];
  const start = async (databaseUrl: string, env: Record<string, string> = {}): Promise<CollectorProcess> => {
    const child = await startCollectorProcess({ DATABASE_URL: databaseUrl, COLLECTOR_RATE_LIMIT_BURST: '0', ...env });
    children.push(child);
    return child;
  };
  const kill = async (child: CollectorProcess): Promise<void> => {
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
  };

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await fixture.teardown();
  });

  it('folds, after a kill -9 between the events’ commit and their analytics, every stored event exactly once', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    const ingestOnly = await start(databaseUrl, { COLLECTOR_ANALYTICS_WORKER: '0' });
    const events = await sendBatches(ingestOnly.url, 12);
    await kill(ingestOnly);

    const before = await openStore({ databaseUrl });
    expect(await before.analyticsBacklog()).toBe(12);
    expect((await before.summary({ widgetId: WIDGET, from: isoDay(Math.floor(Date.now() / DAY_MS) - 1), to: isoDay(Math.floor(Date.now() / DAY_MS)) })).events).toBe(0);
    await before.close();

    const restarted = await start(databaseUrl);
    await until('the backlog folded after the restart', CATCH_UP_MS, async () => (await readiness(restarted)).analytics.backlog === 0);
    await restarted.stop();
    expect(await expectExact(databaseUrl)).toBe(events);
  }, 60_000);

  it('loses nothing and counts nothing twice when killed at random moments while it folds', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    let collector = await start(databaseUrl);
    let events = 0;
    for (let round = 0; round < 3; round++) {
      events += await sendBatches(collector.url, 30);
      // The worker folds about 100 ms after a batch is stored: kill it around then.
      await new Promise((resolve) => setTimeout(resolve, 60 + Math.random() * 120));
      await kill(collector);
      collector = await start(databaseUrl);
    }
    events += await sendBatches(collector.url, 10);
    await until('the analytics caught up', CATCH_UP_MS, async () => (await readiness(collector)).analytics.backlog === 0);
    await collector.stop();
    expect(await expectExact(databaseUrl)).toBe(events);
  }, 90_000);

  it('has one collector fold at a time, and another take over within 10 s of a kill -9, totals exact', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    const pair = [await start(databaseUrl), await start(databaseUrl)];
    const leaders = async () => (await Promise.all(pair.map(readiness))).map((r) => r.analytics.leader);
    await until('one leader', CATCH_UP_MS, async () => (await leaders()).filter(Boolean).length === 1);
    let events = (await Promise.all(pair.map((c) => sendBatches(c.url, 15)))).reduce((a, b) => a + b, 0);
    const roles = await leaders();
    expect(roles.filter(Boolean)).toHaveLength(1);
    const leader = pair[roles.indexOf(true)] as CollectorProcess;
    const survivor = pair[roles.indexOf(false)] as CollectorProcess;

    await kill(leader);
    const killedAt = Date.now();
    events += await sendBatches(survivor.url, 15);
    await until('the survivor leading', CATCH_UP_MS, async () => (await readiness(survivor)).analytics.leader);
    expect(Date.now() - killedAt).toBeLessThan(CATCH_UP_MS);
    events += await sendBatches(survivor.url, 5);
    await until('the analytics caught up', CATCH_UP_MS, async () => (await readiness(survivor)).analytics.backlog === 0);
    await survivor.stop();
    expect(await expectExact(databaseUrl)).toBe(events);
  }, 90_000);
});
