import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { DELIVERY_EVENT } from '../../lib/protocol/delivery-health';
import { deliveryHealthAnswerSchema } from '../../lib/protocol/delivery-health-schema';
import type { DeliveryHealthAnswer } from '../../lib/protocol/delivery-health-schema';
import { engineLabel, until } from './support/driver';
import { startFaultProxy } from './support/fault-proxy';
import type { FaultProxy } from './support/fault-proxy';
import { createEngineStage, STAGE_COLLECTOR_OPTIONS, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

const WIDGET_ID = 'demo';
const KEY = 'delivery-health-key-0123456789';
const ANALYTICS_PATH = '/api/analytics/events/batch';

let collector: RunningCollector;
let proxy: FaultProxy;
let stage: EngineStage;

beforeAll(async () => {
  collector = await startCollector({
    ...STAGE_COLLECTOR_OPTIONS,
    port: 0,
    databaseUrl: ':memory:',
    logLevel: 'silent',
    apiKeys: [{ key: KEY, owner: 'acme', widgets: '*' }],
  });
  proxy = await startFaultProxy(collector.url);
  // Host page on localhost, widget on 127.0.0.1, collector (through the proxy) on a third port.
  stage = await createEngineStage({ collectorUrl: proxy.url });
});

afterAll(async () => {
  await stage?.close();
  await proxy?.close();
  await collector?.close();
});

/** The delivery health API, read straight from the collector with the key. */
async function readHealth(): Promise<DeliveryHealthAnswer> {
  const response = await fetch(`${collector.url}/api/widgets/${WIDGET_ID}/analytics/delivery`, {
    headers: { authorization: `Bearer ${KEY}` },
    signal: AbortSignal.timeout(5000),
  });
  expect(response.status).toBe(200);
  return deliveryHealthAnswerSchema.parse(await response.json());
}

describe(`in ${engineLabel()}, the host page's delivery health`, () => {
  test('a page whose first sends fail (503) reports its retries inside a later batch, and the API counts them', async () => {
    const before = (await readHealth()).total.retries;
    proxy.resetLog();
    // Every batch request fails until the collector is back.
    proxy.failEvery(1, 1);
    const context = await stage.newContext();
    const { page } = await stage.openHost(context);
    await waitForState(await stage.widgetOf(page), 'connected');
    // `widget_loaded` goes after the batch delay, and fails.
    await until('a failed analytics batch', () => proxy.log.some((entry) => entry.path === ANALYTICS_PATH && entry.outcome === 'failed'), 15_000);
    proxy.restore();

    // The retry carries the report; the analytics worker folds it within about a second.
    await until('the retries in the delivery health', async () => (await readHealth()).total.retries > before, 20_000);
    const reports = (await collector.store.listEvents({ widgetId: WIDGET_ID, limit: 10_000 })).filter((row) => row.name === DELIVERY_EVENT);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    // Never a request of its own: every batch that carried a report carried other events too.
    for (const report of reports) {
      const carriers = proxy.log.filter((entry) => entry.path === ANALYTICS_PATH && entry.sent.includes(report.eventId));
      expect(carriers.length).toBeGreaterThanOrEqual(1);
      for (const entry of carriers) expect(entry.sent.length).toBeGreaterThan(1);
    }
    const health = await readHealth();
    expect(health.total.reports).toBeGreaterThanOrEqual(1);
    // A report is not visitor activity.
    const top = await fetch(`${collector.url}/api/analytics/widget/${WIDGET_ID}/events`, { headers: { authorization: `Bearer ${KEY}` }, signal: AbortSignal.timeout(5000) });
    const names = ((await top.json()) as { events: { name: string }[] }).events.map((event) => event.name);
    expect(names).not.toContain(DELIVERY_EVENT);
    await context.close();
  }, 60_000);
});
