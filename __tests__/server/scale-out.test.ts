import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { postgresFixture } from './support/engines';
import { batch, clicks } from '../support/events';
import { post } from './support/http';

describe('two collectors sharing one PostgreSQL database', () => {
  const fixture = postgresFixture();
  let a: RunningCollector;
  let b: RunningCollector;

  beforeAll(async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    // Started together on an empty database: the migration lock lets exactly one create the schema.
    [a, b] = await Promise.all([
      startCollector({ port: 0, databaseUrl, logLevel: 'silent' }),
      startCollector({ port: 0, databaseUrl, logLevel: 'silent' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await fixture.teardown();
  });

  it('stores the same batch sent to both at once exactly once', async () => {
    for (let round = 0; round < 20; round++) {
      const body = batch(clicks(10), 'shared');
      const answers = await Promise.all([a, b, a, b].map((c) => post(c.url, '/api/track/click/batch', body)));
      expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200]);
      const accepted = answers.flatMap((x) => (x.json as { accepted: string[] }).accepted);
      const duplicates = answers.flatMap((x) => (x.json as { duplicates: string[] }).duplicates);
      expect(accepted.sort()).toEqual((body.events as { id: string }[]).map((e) => e.id).sort());
      expect(duplicates).toHaveLength(30);
    }
    expect(await a.store.listEvents({ widgetId: 'shared' })).toHaveLength(200);
  });

  it('answers a retry sent to the other instance with duplicates', async () => {
    const body = batch(clicks(10), 'failover');
    expect(((await post(a.url, '/api/track/click/batch', body)).json as { accepted: string[] }).accepted).toHaveLength(10);
    expect(((await post(b.url, '/api/track/click/batch', body)).json as { duplicates: string[] }).duplicates).toHaveLength(10);
  });
});
