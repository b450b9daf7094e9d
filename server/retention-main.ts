import { toRetentionPolicy } from './jobs/retention-scheduler';
import type { RetentionProgress } from './analytics/types';
import { loadConfig } from './config';
import { isCollectorError } from './errors';
import { openStore } from './store';
import type { EventStore } from './store';

/**
 * `npm run retention`: one retention run against `DATABASE_URL`, for cron or by hand (the
 * collector runs the same job daily at 02:00 UTC unless `RETENTION_ENABLED=false`).
 *
 * 1. Configuration from the environment (`RETENTION_EVENTS_DAYS`, `RETENTION_SESSIONS_DAYS`, …).
 * 2. Store opened (migrations run), old events, sessions, visitor rows and conversations deleted in chunks,
 *    one progress line per chunk.
 * 3. A summary line; exit 0. Any failure: one clear line on stderr, exit 1.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const policy = toRetentionPolicy(config.retention);
  const now = config.now();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  console.log(
    `retention: deleting events before ${day(now - policy.eventsMs)} (${config.retention.eventsDays} days) ` +
      `and sessions before ${day(now - policy.sessionsMs)} (${config.retention.sessionsDays} days)`,
  );
  let store: EventStore | undefined;
  try {
    store = await openStore({
      databaseUrl: config.databaseUrl,
      pgPoolSize: 1,
      pgStatementTimeoutMs: config.pgStatementTimeoutMs,
      sqliteSynchronous: config.sqliteSynchronous,
    });
    console.log(`retention: store ${store.engine} opened`);
    const result = await store.applyRetention(policy, now, (progress: RetentionProgress) => {
      console.log(`retention: ${progress.table}: ${progress.deletedSoFar} deleted so far`);
    });
    console.log(
      `retention: done in ${result.tookMs} ms: ${result.deletedEvents} events, ${result.deletedSessions} sessions, ` +
        `${result.deletedVisitorRows} visitor rows, ${result.deletedConversations} conversations (${result.deletedMessages} messages) deleted`,
    );
  } finally {
    await store?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = isCollectorError(error) || error instanceof Error ? error.message : String(error);
    console.error(`framewire retention failed: ${message}`);
    process.exit(1);
  },
);
