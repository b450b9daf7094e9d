import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster } from '../../__tests__/support/pg-cluster';
import { startCollectorProcess } from '../../__tests__/support/collector-process';
import type { CollectorProcess } from '../../__tests__/support/collector-process';
import { runLoad } from './load';
import type { LoadFigures } from './load';

/**
 * Collector benchmark: click batches of 10 events over loopback, fresh ids on every request.
 *
 * 1. SQLite: one collector on a fresh file.
 * 2. PostgreSQL: one collector on a throwaway cluster (fsync on).
 * 3. PostgreSQL, two collectors on the same database, the load split between them.
 *
 * Each scenario runs `BENCH_DURATION_S` seconds (default 8, at most 10) and everything it started
 * is stopped afterwards. Prints figures and one budget line per goal; exits 1 if a goal is missed
 * and `BENCH_STRICT=1`.
 */

const DURATION_S = Math.min(10, Math.max(1, Number(process.env.BENCH_DURATION_S ?? 8)));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const EVENTS_PER_BATCH = 10;

const BUDGETS = {
  sqliteEventsPerSecond: 20_000,
  sqliteP99Ms: 25,
  postgresEventsPerSecond: 10_000,
  scaleOutFactor: 1.6,
} as const;

/** A collector in its own process, without the per-IP rate limit (all load comes from one address). */
const startBenchCollector = (env: Record<string, string>): Promise<CollectorProcess> =>
  startCollectorProcess({ COLLECTOR_RATE_LIMIT_BURST: '0', ...env });

async function scenario(name: string, collectors: CollectorProcess[]): Promise<LoadFigures> {
  try {
    // A short warm-up so JIT and connection pools are ready.
    await runLoad({ urls: collectors.map((c) => c.url), connections: CONNECTIONS, durationSeconds: 1, eventsPerBatch: EVENTS_PER_BATCH });
    const figures = await runLoad({ urls: collectors.map((c) => c.url), connections: CONNECTIONS, durationSeconds: DURATION_S, eventsPerBatch: EVENTS_PER_BATCH });
    console.log(
      `${name.padEnd(28)} ${figures.eventsPerSecond.toFixed(0).padStart(7)} events/s  ` +
        `(${figures.requestsPerSecond.toFixed(0)} req/s)  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  ` +
        `non-2xx ${figures.non2xx}  errors ${figures.errors}`,
    );
    return figures;
  } finally {
    await Promise.all(collectors.map((c) => c.stop()));
  }
}

function budget(label: string, ok: boolean, detail: string): boolean {
  console.log(`budget ${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`);
  return ok;
}

async function main(): Promise<void> {
  console.log(`collector benchmark: batches of ${EVENTS_PER_BATCH} clicks, ${CONNECTIONS} connections, ${DURATION_S} s per scenario\n`);
  const dir = mkdtempSync(join(tmpdir(), 'framewire-bench-'));
  const cluster = await startPgCluster({ fsync: true });
  try {
    const sqlite = await scenario('SQLite, 1 collector', [await startBenchCollector({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}` })]);
    const onePgUrl = await cluster.createDatabase('bench_one');
    const pg = await scenario('PostgreSQL, 1 collector', [await startBenchCollector({ DATABASE_URL: onePgUrl })]);
    const sharedUrl = await cluster.createDatabase('bench_two');
    const two = await scenario('PostgreSQL, 2 collectors', [
      await startBenchCollector({ DATABASE_URL: sharedUrl }),
      await startBenchCollector({ DATABASE_URL: sharedUrl }),
    ]);

    console.log('');
    const results = [
      budget('SQLite events/s >= 20000', sqlite.eventsPerSecond >= BUDGETS.sqliteEventsPerSecond, `${sqlite.eventsPerSecond.toFixed(0)}`),
      budget('SQLite p99 < 25 ms', sqlite.p99Ms < BUDGETS.sqliteP99Ms, `${sqlite.p99Ms} ms`),
      budget('PostgreSQL events/s >= 10000', pg.eventsPerSecond >= BUDGETS.postgresEventsPerSecond, `${pg.eventsPerSecond.toFixed(0)}`),
      budget('2 collectors >= 1.6x one (PostgreSQL)', two.eventsPerSecond >= BUDGETS.scaleOutFactor * pg.eventsPerSecond, `${(two.eventsPerSecond / pg.eventsPerSecond).toFixed(2)}x`),
      budget('no errors or non-2xx answers', [sqlite, pg, two].every((f) => f.errors === 0 && f.non2xx === 0), ''),
    ];
    if (process.env.BENCH_STRICT === '1' && results.includes(false)) process.exitCode = 1;
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
