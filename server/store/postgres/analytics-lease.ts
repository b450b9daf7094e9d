import pg from 'pg';
import type { AnalyticsLease } from '../types';

/**
 * Two advisory lock keys, distinct so that the lease holder's own folds (on pooled connections)
 * never wait for its lease (held by another connection):
 * - the lease: a session lock held by the collector whose worker folds;
 * - the fold: a transaction lock every fold (and the privacy delete) takes, so that folds are
 *   one at a time even while a lease changes hands.
 */
const LEASE_KEY = `hashtextextended('framewire:analytics-lease', 0)`;

/** Taken first in every fold's transaction; released by its COMMIT or ROLLBACK. */
export const FOLD_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('framewire:analytics-fold', 0))`;

/** Where the lease's own connection goes. */
export interface LeaseTarget {
  connectionString: string;
  connectionTimeoutMs: number;
}

/**
 * Tries to take the analytics lease on a connection of its own, outside the pool, kept open
 * while the lease is held: PostgreSQL frees a session lock when its connection ends, so a
 * collector that dies (even `kill -9`) frees the lease as soon as the server sees its socket
 * close. TCP keepalive is on so that a connection whose peer vanished is noticed too (how fast
 * depends on the server's `tcp_keepalives_*` settings, see DEPLOY notes in docs/COLLECTOR.md).
 * Resolves with `null`, the connection closed, when another collector holds the lease.
 */
export async function acquirePostgresLease(target: LeaseTarget): Promise<AnalyticsLease | null> {
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: target.connectionTimeoutMs, keepAlive: true });
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });
  // An error on an idle client would otherwise be thrown into the process.
  client.on('error', () => markLost());
  client.on('end', () => markLost());
  try {
    await client.connect();
    const answer = await client.query<{ taken: boolean }>(`SELECT pg_try_advisory_lock(${LEASE_KEY}) AS taken`);
    if (answer.rows[0]?.taken !== true) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let released: Promise<void> | undefined;
  return {
    lost,
    // Ending the connection frees the lock.
    release: () => (released ??= client.end().catch(() => undefined)),
  };
}
