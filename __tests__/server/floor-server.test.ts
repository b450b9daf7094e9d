import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFloorApp } from '../../bench/collector/floor/create-floor-app';
import type { FloorStore } from '../../bench/collector/floor/floor-store';
import { openFloorStore } from '../../bench/collector/floor/open-floor-store';
import { analytics, batch, BROWSER_USER_AGENT, click, uuidv7 } from '../support/events';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';

/**
 * The benchmark's floor server (bench/collector/floor) against each engine: it has to keep
 * storing what the collector's own validation hands it, or `npm run bench:collector` breaks
 * without any other test noticing.
 */
describe.each(ENGINES)('the floor server on $name', ({ create }) => {
  let fixture: EngineFixture;
  let store: FloorStore;

  beforeAll(async () => {
    fixture = create();
    store = await openFloorStore(await fixture.freshDatabaseUrl());
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await fixture?.teardown();
  });

  it('stores a batch of clicks and one of analytics events, and answers a resent one as duplicates', async () => {
    const app = createFloorApp(store);
    try {
      const clicks = batch([click({ id: uuidv7() }), click({ id: uuidv7() })]);
      const events = batch([analytics({ id: uuidv7() })]);
      const headers = { 'content-type': 'application/json', 'user-agent': BROWSER_USER_AGENT };
      const first = await app.inject({ method: 'POST', url: '/api/track/click/batch', headers, payload: clicks });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ duplicates: [], failed: [] });
      expect((first.json() as { accepted: string[] }).accepted).toHaveLength(2);
      const second = await app.inject({ method: 'POST', url: '/api/analytics/events/batch', headers, payload: events });
      expect((second.json() as { accepted: string[] }).accepted).toHaveLength(1);
      const again = await app.inject({ method: 'POST', url: '/api/track/click/batch', headers, payload: clicks });
      expect((again.json() as { duplicates: string[] }).duplicates).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
