import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster } from '../../__tests__/support/pg-cluster';
import type { PgCluster } from '../../__tests__/support/pg-cluster';
import { startCollectorProcess } from '../../__tests__/support/collector-process';
import type { CollectorProcess, ServerProcessOptions } from '../../__tests__/support/collector-process';
import { startFloorProcess } from './floor/floor-process';
import { FRESHNESS_DEFAULTS, measureLag, percentile, waitForCatchUp } from './freshness';
import type { AnalyticsReader, LagFigures } from './freshness';
import { BENCH_WIDGET_ID, runLoad } from './load';
import type { LoadFigures } from './load';

/**
 * Collector benchmark: click batches of 10 events over loopback, fresh ids on every request,
 * against the collector and against the floor (`floor/`: the least a correct ingestion endpoint
 * does on the same stack, raw events only, primary key only).
 *
 * Per engine (SQLite file; PostgreSQL throwaway cluster with fsync on):
 * 1. `BENCH_ROUNDS` (default 5) pairs of rounds, floor then collector, each on a fresh database
 *    (PostgreSQL: after a checkpoint; dropped or deleted after its round) with a 1 s warm-up,
 *    then `BENCH_DURATION_S` seconds (default 8, at most 10) of saturating load.
 *    After each collector round: the time until the analytics summary counts every event the
 *    collector answered 200 for (catch-up).
 * 2. The collector under a fixed-rate load at half the floor's median rate for `BENCH_LAG_S`
 *    seconds (default 10), with probes measuring the lag from a stored event to its analytics.
 * 3. PostgreSQL only, unless `BENCH_SCALE_OUT=0`: two collectors on one database, the load split.
 *
 * Everything started is stopped afterwards. Prints each round, the best/median per server, the
 * ratio collector/floor, the freshness figures and one budget line per goal; exits 1 if a goal
 * is missed and `BENCH_STRICT=1`.
 */

const DURATION_S = Math.min(10, Math.max(1, Number(process.env.BENCH_DURATION_S ?? 8)));
const ROUNDS = Math.min(5, Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5)));
const LAG_S = Math.min(30, Math.max(2, Number(process.env.BENCH_LAG_S ?? 10)));
const SCALE_OUT = process.env.BENCH_SCALE_OUT !== '0';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** `sqlite` or `postgres` for one engine only (the scale-out step is PostgreSQL's). */
const ENGINES = process.env.BENCH_ENGINES ?? 'sqlite,postgres';
/** A folder: each server process writes a CPU profile into a subfolder named after its round. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const EVENTS_PER_BATCH = 10;

/** A read key for the bench's own widgets (the read API needs one). */
const API_KEY = 'framewire-bench-read-key-0123456789';

const BUDGETS = {
  /** Collector throughput over the floor's, each engine. */
  floorRatio: 0.8,
  sqliteP99Ms: 25,
  catchUpMs: 10_000,
  lagP99Ms: 1_000,
  scaleOutFactor: 1.6,
} as const;

/**
 * Cores from which the scale-out goal is judged: the load generator, PostgreSQL and two
 * collectors each need about one.
 */
const SCALE_OUT_MIN_CORES = 4;

type Engine = 'SQLite' | 'PostgreSQL';
type Server = 'floor' | 'collector';

interface Round {
  server: Server;
  figures: LoadFigures;
  /** Collector rounds: ms from the end of the load until the summary counted every event; null if never. */
  catchUpMs?: number | null;
}

interface EngineResult {
  engine: Engine;
  rounds: Round[];
  lag: LagFigures;
}

/** A collector in its own process, without the per-IP rate limit (all load comes from one address). */
const startBenchCollector = (databaseUrl: string, profileName: string): Promise<CollectorProcess> =>
  startCollectorProcess({ DATABASE_URL: databaseUrl, COLLECTOR_RATE_LIMIT_BURST: '0', FRAMEWIRE_API_KEYS: `${API_KEY}=bench:*` }, profiled(profileName));

/** Node's flags for a server process: a CPU profile in `BENCH_CPU_PROF`/`name` when asked for. */
const profiled = (name: string): ServerProcessOptions =>
  CPU_PROF_DIR === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF_DIR, name)}`] };

const loadOf = (urls: readonly string[], durationSeconds: number) => runLoad({ urls, connections: CONNECTIONS, durationSeconds, eventsPerBatch: EVENTS_PER_BATCH });

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const figuresLine = (name: string, f: LoadFigures): string =>
  `${name.padEnd(30)} ${f.eventsPerSecond.toFixed(0).padStart(7)} events/s  (${f.requestsPerSecond.toFixed(0)} req/s)  ` +
  `p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  non-2xx ${f.non2xx}  errors ${f.errors}`;

/** Warm-up then the measured load; for a collector, the catch-up of its analytics afterwards. */
async function round(engine: Engine, server: Server, index: number, databaseUrl: string): Promise<Round> {
  const profileName = `${engine}-${server}-${index + 1}`;
  const running =
    server === 'floor' ? await startFloorProcess({ DATABASE_URL: databaseUrl }, profiled(profileName)) : await startBenchCollector(databaseUrl, profileName);
  try {
    // A short warm-up so JIT and connection pools are ready.
    const warmUp = await loadOf([running.url], 1);
    const figures = await loadOf([running.url], DURATION_S);
    let line = figuresLine(`${engine} ${server} #${index + 1}`, figures);
    if (server === 'floor') {
      console.log(line);
      return { server, figures };
    }
    const reader: AnalyticsReader = { url: running.url, apiKey: API_KEY };
    const catchUpMs = await waitForCatchUp(reader, BENCH_WIDGET_ID, warmUp.acceptedEvents + figures.acceptedEvents, Date.now());
    line += catchUpMs === null ? `  catch-up: not caught up within ${FRESHNESS_DEFAULTS.catchUpDeadlineMs} ms` : `  catch-up ${catchUpMs} ms`;
    console.log(line);
    return { server, figures, catchUpMs };
  } finally {
    await running.stop();
  }
}

/**
 * A fresh database for one step, and how to get rid of it afterwards: so that no step pays for
 * the one before (PostgreSQL's autovacuum of its tables, its dirty pages, a file's writeback).
 */
interface Databases {
  create(name: string): Promise<string>;
  dispose(name: string): Promise<void>;
}

/** SQLite files in `dir`, deleted after their step. */
const sqliteDatabases = (dir: string): Databases => ({
  create: async (name) => `sqlite:${join(dir, `${name}.db`)}`,
  dispose: async (name) => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `${name}.db${suffix}`), { force: true });
  },
});

/**
 * Databases of the throwaway cluster: each step starts after a checkpoint, and its database is
 * dropped afterwards.
 */
const postgresDatabases = (cluster: PgCluster): Databases => ({
  create: async (name) => {
    const url = await cluster.createDatabase(`bench_${name}`);
    await cluster.adminQuery('CHECKPOINT');
    return url;
  },
  dispose: (name) => cluster.adminQuery(`DROP DATABASE IF EXISTS bench_${name} WITH (FORCE)`),
});

/** Runs `step` on a fresh database named `name`, disposed of afterwards. */
async function withDatabase<T>(databases: Databases, name: string, step: (url: string) => Promise<T>): Promise<T> {
  const url = await databases.create(name);
  try {
    return await step(url);
  } finally {
    await databases.dispose(name);
  }
}

/** Alternating floor and collector rounds on fresh databases, then the lag at half the floor's rate. */
async function benchEngine(engine: Engine, databases: Databases): Promise<EngineResult> {
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    for (const server of ['floor', 'collector'] as const) {
      rounds.push(await withDatabase(databases, `${server}_${i}`, (url) => round(engine, server, i, url)));
    }
  }
  const floorRate = median(rounds.filter((r) => r.server === 'floor').map((r) => r.figures.requestsPerSecond));
  const lag = await withDatabase(databases, 'lag', async (url) => {
    const collector = await startBenchCollector(url, `${engine}-lag`);
    try {
      const reader: AnalyticsReader = { url: collector.url, apiKey: API_KEY };
      const warmUp = await loadOf([collector.url], 1);
      // The lag is that of a steady load: the analytics first catch up with the warm-up's
      // saturating second (catch-up after saturation is measured above).
      await waitForCatchUp(reader, BENCH_WIDGET_ID, warmUp.acceptedEvents, Date.now());
      return await measureLag(reader, { connections: CONNECTIONS, eventsPerBatch: EVENTS_PER_BATCH, requestsPerSecond: floorRate / 2, durationSeconds: LAG_S });
    } finally {
      await collector.stop();
    }
  });
  console.log(
    `${`${engine} lag at ${((floorRate / 2) * EVENTS_PER_BATCH).toFixed(0)} events/s`.padEnd(30)} ` +
      `(measured ${lag.loadEventsPerSecond.toFixed(0)} events/s)  ${lag.lagsMs.length} probes  ` +
      `p50 ${percentile(lag.lagsMs, 0.5)} ms  p99 ${percentile(lag.lagsMs, 0.99)} ms  max ${lag.lagsMs.at(-1) ?? NaN} ms  missed ${lag.missed}`,
  );
  return { engine, rounds, lag };
}

function budget(label: string, ok: boolean, detail: string): boolean {
  console.log(`budget ${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`);
  return ok;
}

/** Best/median lines of one engine and its budget lines. */
function engineSummary(result: EngineResult): boolean[] {
  const of = (server: Server) => result.rounds.filter((r) => r.server === server).map((r) => r.figures);
  const rate = (server: Server) => of(server).map((f) => f.eventsPerSecond);
  const best = (server: Server) => Math.max(...rate(server));
  const med = (server: Server) => median(rate(server));
  for (const server of ['floor', 'collector'] as const) {
    console.log(`${result.engine} ${server.padEnd(9)} best ${best(server).toFixed(0).padStart(7)} events/s  median ${med(server).toFixed(0).padStart(7)} events/s`);
  }
  const ratio = med('collector') / med('floor');
  // Each collector round against the floor round just before it: the machine's load drifts less
  // within a pair than over the whole run.
  const pairs = rate('collector').map((collector, i) => collector / (rate('floor')[i] ?? Number.NaN));
  console.log(
    `${result.engine} collector/floor: ${ratio.toFixed(2)} (medians), ${(best('collector') / best('floor')).toFixed(2)} (bests), ` +
      `per pair ${pairs.map((r) => r.toFixed(2)).join(' ')} (median ${median(pairs).toFixed(2)})`,
  );
  const catchUps = result.rounds.filter((r) => r.server === 'collector').map((r) => r.catchUpMs ?? null);
  const worstCatchUp = catchUps.includes(null) ? null : Math.max(...catchUps.map(Number));
  const lagP99 = percentile(result.lag.lagsMs, 0.99);
  const checks = [
    budget(`${result.engine} collector/floor >= ${BUDGETS.floorRatio}`, ratio >= BUDGETS.floorRatio, `${ratio.toFixed(2)}`),
    budget(
      `${result.engine} catch-up after saturation <= ${BUDGETS.catchUpMs / 1000} s`,
      worstCatchUp !== null && worstCatchUp <= BUDGETS.catchUpMs,
      worstCatchUp === null ? 'not caught up' : `worst ${worstCatchUp} ms`,
    ),
    budget(
      `${result.engine} lag p99 <= ${BUDGETS.lagP99Ms / 1000} s at half the floor's rate`,
      result.lag.missed === 0 && lagP99 <= BUDGETS.lagP99Ms,
      `${lagP99} ms over ${result.lag.lagsMs.length} probes, ${result.lag.missed} missed`,
    ),
  ];
  if (result.engine === 'SQLite') {
    const p99 = median(of('collector').map((f) => f.p99Ms));
    checks.push(budget(`SQLite collector p99 < ${BUDGETS.sqliteP99Ms} ms`, p99 < BUDGETS.sqliteP99Ms, `${p99} ms (median of rounds)`));
  }
  return checks;
}

/** Two collectors on one PostgreSQL database, the load split between them. */
async function scaleOut(databases: Databases): Promise<LoadFigures> {
  return withDatabase(databases, 'two', async (sharedUrl) => {
    const collectors = [await startBenchCollector(sharedUrl, 'PostgreSQL-two-1'), await startBenchCollector(sharedUrl, 'PostgreSQL-two-2')];
    try {
      const urls = collectors.map((c) => c.url);
      await loadOf(urls, 1);
      const figures = await loadOf(urls, DURATION_S);
      console.log(figuresLine('PostgreSQL, 2 collectors', figures));
      return figures;
    } finally {
      await Promise.all(collectors.map((c) => c.stop()));
    }
  });
}

async function main(): Promise<void> {
  console.log(
    `collector benchmark: batches of ${EVENTS_PER_BATCH} clicks, ${CONNECTIONS} connections, ` +
      `${ROUNDS} floor/collector round pairs of ${DURATION_S} s per engine, lag over ${LAG_S} s\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'framewire-bench-'));
  const cluster = ENGINES.includes('postgres') ? await startPgCluster({ fsync: true }) : undefined;
  try {
    const engines: EngineResult[] = [];
    if (ENGINES.includes('sqlite')) engines.push(await benchEngine('SQLite', sqliteDatabases(dir)));
    const postgres = cluster === undefined ? undefined : await benchEngine('PostgreSQL', postgresDatabases(cluster));
    if (postgres !== undefined) engines.push(postgres);
    const scaled = SCALE_OUT && cluster !== undefined ? await scaleOut(postgresDatabases(cluster)) : undefined;

    console.log('');
    const results = engines.flatMap(engineSummary);
    if (scaled !== undefined && postgres !== undefined) {
      const factor = scaled.eventsPerSecond / median(postgres.rounds.filter((r) => r.server === 'collector').map((r) => r.figures.eventsPerSecond));
      const label = `2 collectors >= ${BUDGETS.scaleOutFactor}x one (PostgreSQL)`;
      // Two collectors can only scale where they have cores of their own: with fewer, the load
      // generator, PostgreSQL and both collectors share them, and the figure is only printed.
      if (availableParallelism() >= SCALE_OUT_MIN_CORES) results.push(budget(label, factor >= BUDGETS.scaleOutFactor, `${factor.toFixed(2)}x`));
      else console.log(`budget NOT JUDGED  ${label}: ${factor.toFixed(2)}x, on ${availableParallelism()} cores shared by the load, PostgreSQL and both collectors (judged from ${SCALE_OUT_MIN_CORES})`);
    }
    const all = engines.flatMap((e) => e.rounds.map((r) => r.figures)).concat(scaled === undefined ? [] : [scaled]);
    results.push(budget('no errors or non-2xx answers', all.every((f) => f.errors === 0 && f.non2xx === 0), ''));
    if (process.env.BENCH_STRICT === '1' && results.includes(false)) process.exitCode = 1;
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
