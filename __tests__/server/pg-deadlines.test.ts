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

/** Holds, from another connection, the advisory lock an ingest of `sessionId` takes for its visitor. */
async function holdVisitorLock(sessionId: string): Promise<void> {
  blocker = new pg.Client({ connectionString: databaseUrl });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['demo', sessionId])]);
}

/** Resolves once some connection waits for an advisory lock (the test's deadline bounds it). */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const { rows } = await blocker.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
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
    await holdVisitorLock('stuck-visitor');
    const stuck = await post(collector.url, CLICK_BATCH, batch([click({ sessionId: 'stuck-visitor' })]));
    expect(stuck.status).toBe(503);
    expect(stuck.headers['retry-after']).toBe('5');
    const fine = click({ sessionId: 'free-visitor' });
    expect((await post(collector.url, CLICK_BATCH, batch([fine]))).json).toEqual({ accepted: [fine.id], duplicates: [], failed: [] });
  });

  it('a graceful stop does not wait for a stuck statement beyond its deadline', async () => {
    collector = await startCollector({ port: 0, databaseUrl, logLevel: 'silent', pgStatementTimeoutMs: 300, shutdownTimeoutMs: 60_000 });
    await holdVisitorLock('stuck-visitor');
    const pending = post(collector.url, CLICK_BATCH, batch([click({ sessionId: 'stuck-visitor' })]));
    // The stop begins once the request waits in the database's lock queue; it ends when the
    // statement's deadline frees the connection, not at shutdownTimeoutMs (60 s, past this test's timeout).
    await waitForLockWaiter();
    await collector.close();
    expect((await pending).status).toBe(503);
  });
});
