import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AnalyticsLease } from '../types';

/**
 * How long a lease lasts without renewal, and how often its holder renews it: a holder that
 * dies (even `kill -9`) leaves a lease that expires within `ttlMs`, after which another
 * process on the same file takes it.
 */
export const SQLITE_LEASE_TIMINGS = Object.freeze({ ttlMs: 6000, renewMs: 2000 });

/** Migration 6's lease row (SQLite only: PostgreSQL uses an advisory lock). */
export const SQLITE_LEASE_SCHEMA = `
      CREATE TABLE analytics_lease (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        holder      TEXT    NOT NULL,
        expires_at  INTEGER NOT NULL
      );`;

/**
 * The analytics lease of a SQLite file: one row naming its holder until `expires_at`, renewed
 * every `renewMs`. Usually one collector process writes a file and the lease is simply its
 * own; when several processes share the file (WAL allows it), only one folds at a time, and a
 * dead holder's lease expires so that another takes over. Folds themselves are one at a time
 * anyway: each runs in a write transaction.
 */
export function createSqliteLease(db: Database.Database, now: () => number = Date.now): () => AnalyticsLease | null {
  const take = db.prepare(
    `INSERT INTO analytics_lease (id, holder, expires_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE analytics_lease.expires_at < ? OR analytics_lease.holder = excluded.holder`,
  );
  const drop = db.prepare('DELETE FROM analytics_lease WHERE holder = ?');
  return () => {
    const holder = randomUUID();
    const claim = (): boolean => take.run(holder, now() + SQLITE_LEASE_TIMINGS.ttlMs, now()).changes === 1;
    if (!claim()) return null;
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => {
      markLost = resolve;
    });
    const renew = setInterval(() => {
      let kept = false;
      try {
        kept = claim();
      } catch {
        // The file is closed or unwritable: the lease cannot be kept.
      }
      if (!kept) {
        clearInterval(renew);
        markLost();
      }
    }, SQLITE_LEASE_TIMINGS.renewMs);
    renew.unref();
    let released = false;
    return {
      lost,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renew);
        try {
          drop.run(holder);
        } catch {
          // Closed already: the lease expires by itself.
        }
      },
    };
  };
}
