import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, batch, click, clicks } from '../support/events';
import { post, send } from './support/http';

const CLICK_BATCH = '/api/track/click/batch';

describe.each(ENGINES)('the collector on $name', ({ create }) => {
  let fixture: EngineFixture;
  let collector: RunningCollector;

  beforeAll(async () => {
    fixture = create();
    collector = await startCollector({ port: 0, databaseUrl: await fixture.freshDatabaseUrl(), logLevel: 'silent' });
  });
  afterAll(async () => {
    await collector?.close();
    await fixture?.teardown();
  });

  const stored = async (widgetId: string) => collector.store.listEvents({ widgetId });

  it('accepts a batch of 10 valid clicks, then answers the same batch with 10 duplicates', async () => {
    const body = batch(clicks(10), 'w-retry');
    const ids = (body.events as { id: string }[]).map((e) => e.id);
    const first = await post(collector.url, CLICK_BATCH, body);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accepted: ids, duplicates: [], failed: [] });
    const again = await post(collector.url, CLICK_BATCH, body);
    expect(again.json).toEqual({ accepted: [], duplicates: ids, failed: [] });
    expect(await stored('w-retry')).toHaveLength(10);
  });

  it('accepts the same batch sent as text/plain, as sendBeacon does', async () => {
    const body = batch(clicks(10), 'w-beacon');
    const answer = await post(collector.url, CLICK_BATCH, body, { contentType: 'text/plain;charset=UTF-8' });
    expect(answer.status).toBe(200);
    expect((answer.json as { accepted: string[] }).accepted).toHaveLength(10);
  });

  it('refuses 26 events with 400 and stores none of them', async () => {
    const answer = await post(collector.url, CLICK_BATCH, batch(clicks(26), 'w-26'));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.stringContaining('too many events') });
    expect(await stored('w-26')).toEqual([]);
  });

  it('refuses a 70 KB body with 413', async () => {
    const answer = await post(collector.url, CLICK_BATCH, batch([click({ userAgent: 'x'.repeat(70 * 1024) })], 'w-big'));
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ error: expect.any(String) });
    expect(await stored('w-big')).toEqual([]);
  });

  it('stores the 9 valid clicks of a batch and reports the invalid one with its field', async () => {
    const events = clicks(10);
    const bad = click({ offerId: 42 });
    events[4] = bad;
    const answer = await post(collector.url, CLICK_BATCH, batch(events, 'w-mixed'));
    expect(answer.status).toBe(200);
    const json = answer.json as { accepted: string[]; failed: unknown[] };
    expect(json.accepted).toHaveLength(9);
    expect(json.failed).toEqual([{ id: bad.id, reason: 'invalid: offerId' }]);
    expect(await stored('w-mixed')).toHaveLength(9);
  });

  it('stores analytics events with their properties, context and an anonymized address', async () => {
    const event = analytics({ properties: { plan: 'pro', items: [1, 2] } });
    const answer = await post(collector.url, '/api/analytics/events/batch', batch([event], 'w-analytics'));
    expect(answer.json).toEqual({ accepted: [event.id], duplicates: [], failed: [] });
    const [row] = await stored('w-analytics');
    expect(row).toMatchObject({ kind: 'analytics', name: 'widget_opened', properties: { plan: 'pro', items: [1, 2] }, ip: '127.0.0.0' });
    expect(row?.context).toMatchObject({ page: 'https://shop.example/p', utm: { source: 'news' } });
  });

  it('accepts one click on the compatibility endpoint and deduplicates it like a batch', async () => {
    const event = click();
    const first = await post(collector.url, '/api/track/click', { widgetId: 'w-single', ...event });
    expect(first.json).toEqual({ accepted: [event.id], duplicates: [], failed: [] });
    const again = await post(collector.url, '/api/track/click', { widgetId: 'w-single', ...event });
    expect(again.json).toEqual({ accepted: [], duplicates: [event.id], failed: [] });
  });

  it('stores identical batches sent concurrently exactly once', async () => {
    const body = batch(clicks(10), 'w-race');
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(collector.url, CLICK_BATCH, body)));
    const accepted = answers.flatMap((a) => (a.json as { accepted: string[] }).accepted);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(accepted).toHaveLength(10);
    expect(await stored('w-race')).toHaveLength(10);
  });

  it('reports ready with its engine, whether it folds the analytics, and the batches waiting to be folded', async () => {
    await collector.analytics.drain();
    const answer = await send(`${collector.url}/readyz`);
    expect(answer.json).toEqual({ status: 'ready', engine: collector.engine, analytics: { leader: true, backlog: 0 } });
  });
});
