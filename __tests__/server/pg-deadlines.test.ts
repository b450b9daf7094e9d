import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { postgresFixture } from './support/engines';
import { batch, click } from '../support/events';
import { post } from './support/http';

const CLICK_BATCH = '/api/track/click/batch';
const fixture = postgresFixture();
let databaseUrl: string;
let blocker: pg.Client;

beforeAll(async () => {
  databaseUrl = await fixture.freshDatabaseUrl();
});
afterEach(async () => {
  await blocker?.end().catch(() => undefined);
});
afterAll(async () => {
  await fixture.teardown();
});

/**
 * Inserts, from another connection, an event with this id in a transaction left open: an
 * ingest of the same id waits for that transaction to end (to know whether the key is taken).
 */
async function holdEventKey(eventId: string): Promise<void> {
  blocker = new pg.Client({ connectionString: databaseUrl });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query("INSERT INTO events (widget_id, event_id, kind, name, session_id, ts, received_at) VALUES ('demo', $1, 'click', 'offer_click', 'x', 0, 0)", [
    eventId,
  ]);
}

/** Resolves once some connection waits for a lock (the test's deadline bounds it). */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const { rows } = await blocker.query<{ n: string }>('SELECT count(*) AS n FROM pg_locks WHERE NOT granted');
    if (Number(rows[0]?.n) > 0) return;
  }
}

describe('PostgreSQL statements have a deadline', () => {
  let collector: RunningCollector;
  afterEach(async () => {
    await collector.close();
  });

  it('answers 503 with Retry-After when a statement waits past pgStatementTimeoutMs, and the next request is served', async () => {
    collector = await startCollector({ port: 0, databaseUrl, logLevel: 'silent', pgStatementTimeoutMs: 300 });
    const held = click();
    await holdEventKey(String(held.id));
    const stuck = await post(collector.url, CLICK_BATCH, batch([held]));
    expect(stuck.status).toBe(503);
    expect(stuck.headers['retry-after']).toBe('5');
    const fine = click();
    expect((await post(collector.url, CLICK_BATCH, batch([fine]))).json).toEqual({ accepted: [fine.id], duplicates: [], failed: [] });
  });

  it('a graceful stop does not wait for a stuck statement beyond its deadline', async () => {
    collector = await startCollector({ port: 0, databaseUrl, logLevel: 'silent', pgStatementTimeoutMs: 300, shutdownTimeoutMs: 60_000 });
    const held = click();
    await holdEventKey(String(held.id));
    const pending = post(collector.url, CLICK_BATCH, batch([held]));
    // The stop begins once the request waits in the database's lock queue; it ends when the
    // statement's deadline frees the connection, not at shutdownTimeoutMs (60 s, past this test's timeout).
    await waitForLockWaiter();
    await collector.close();
    expect((await pending).status).toBe(503);
  });
});
