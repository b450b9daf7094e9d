import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDeadline } from '../../__tests__/support/deadline';
import { startPgCluster } from '../../__tests__/support/pg-cluster';
import type { PgCluster } from '../../__tests__/support/pg-cluster';
import { nearestRankIndex } from '../../server/analytics/conversation-figures';
import { conversationApi, RoutesMissingError } from './api';
import type { BenchConversation, ConversationApi, VisitorStream } from './api';
import { startBenchCollector } from './bench-collector';
import type { BenchCollector, MemoryFigures } from './bench-collector';

/**
 * Conversations benchmark, on SQLite and on PostgreSQL (a throwaway cluster, fsync on), each
 * with one collector in its own process started with `--expose-gc`:
 *
 * 1. Reply latency: one conversation, its visitor's event stream open (read with `fetch`
 *    streaming, as the widget does); `BENCH_REPLIES` (default 500) agent replies one after the
 *    other, each timed from just before its `POST …/messages` to the moment the stream yields
 *    it. 20 replies first as a warm-up. p50 and p99 (nearest rank).
 * 2. Memory: `BENCH_STREAMS` (default 1,000) conversations started (each with a visitor
 *    message); the collector's RSS and heap after a full GC with none of their streams open
 *    (idle), with all of them open, and after they were closed again.
 *    Goal: < 100 MB above idle (RSS) with 1,000 streams open.
 *
 * `BENCH_ENGINES=sqlite` (or `postgres`) runs one engine only. A collector without the
 * conversation routes (404) ends the run with one line and exit code 1. Prints figures and
 * one budget line per goal; `BENCH_STRICT=1` exits 1 if a goal is missed.
 */

const REPLIES = Number(process.env.BENCH_REPLIES ?? 500);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((name) => name.trim());
const WARM_UP_REPLIES = 20;
/** How many conversations are started, or streams opened, at once. */
const CONCURRENCY = 20;
const REPLY_DEADLINE_MS = 10_000;
const WIDGET = 'bench';
const API_KEY = 'k_bench_conversations_0123456789';
const MB = 1024 * 1024;
const GOAL_STREAM_MEMORY_MB = 100;

/** Runs `task` for 0..count-1, at most `CONCURRENCY` at a time, in order of the results. */
async function inParallel<T>(count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return results;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[nearestRankIndex(sorted.length, p)] ?? NaN;

/** Agent → visitor stream latencies of `count` replies, ms, in order sent. */
async function replyLatencies(api: ConversationApi, count: number): Promise<number[]> {
  const conversation = await api.start();
  const waiting = new Map<string, (at: number) => void>();
  const stream = await api.openStream(conversation, (message) => waiting.get(message.id)?.(performance.now()));
  try {
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const arrived = new Promise<number>((resolve) => waiting.set(id, resolve));
      const sentAt = performance.now();
      await api.reply(conversation, id, `Reply number ${i + 1}: thanks for waiting.`);
      const at = await withDeadline(arrived, REPLY_DEADLINE_MS, `reply ${i + 1} on the visitor's stream`);
      waiting.delete(id);
      latencies.push(at - sentAt);
    }
    return latencies;
  } finally {
    stream.close();
    await stream.done;
  }
}

interface StreamMemory {
  idle: MemoryFigures;
  open: MemoryFigures;
  closed: MemoryFigures;
}

/** The collector's memory idle, with `count` visitor streams open, and after they closed. */
async function streamMemory(collector: BenchCollector, api: ConversationApi, count: number): Promise<StreamMemory> {
  const conversations: BenchConversation[] = await inParallel(count, () => api.start());
  const idle = await collector.memory();
  const streams: VisitorStream[] = [];
  try {
    await inParallel(count, async (i) => {
      streams.push(await api.openStream(conversations[i] as BenchConversation, () => undefined));
    });
    const open = await collector.memory();
    for (const stream of streams) stream.close();
    await withDeadline(Promise.all(streams.map((s) => s.done)), 30_000, 'the streams closing');
    streams.length = 0;
    // The collector hears of the closed connections a moment later.
    await sleep(1000);
    const closed = await collector.memory();
    return { idle, open, closed };
  } finally {
    for (const stream of streams) stream.close();
  }
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

async function scenario(engine: string, databaseUrl: string): Promise<boolean> {
  const collector = await startBenchCollector({
    DATABASE_URL: databaseUrl,
    FRAMEWIRE_API_KEYS: `${API_KEY}=bench:${WIDGET}`,
    COLLECTOR_RATE_LIMIT_BURST: '0',
  });
  try {
    const api = conversationApi(collector.url, WIDGET, API_KEY);
    await replyLatencies(api, WARM_UP_REPLIES);
    const latencies = (await replyLatencies(api, REPLIES)).sort((a, b) => a - b);
    const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
    console.log(
      `${engine.padEnd(10)} reply → visitor stream, ${REPLIES} replies: p50 ${percentile(latencies, 50).toFixed(2)} ms  ` +
        `p99 ${percentile(latencies, 99).toFixed(2)} ms  mean ${mean.toFixed(2)} ms  max ${(latencies[latencies.length - 1] ?? NaN).toFixed(2)} ms`,
    );
    const memory = await streamMemory(collector, api, STREAMS);
    const extraRss = memory.open.rss - memory.idle.rss;
    const extraHeap = memory.open.heapUsed - memory.idle.heapUsed;
    console.log(
      `${engine.padEnd(10)} memory after GC: idle RSS ${mb(memory.idle.rss)} heap ${mb(memory.idle.heapUsed)}; ` +
        `${STREAMS} streams open RSS ${mb(memory.open.rss)} heap ${mb(memory.open.heapUsed)} ` +
        `(+${mb(extraRss)} RSS, +${mb(extraHeap)} heap, ${(extraRss / STREAMS / 1024).toFixed(1)} KB RSS per stream); ` +
        `closed again RSS ${mb(memory.closed.rss)} heap ${mb(memory.closed.heapUsed)}`,
    );
    const withinGoal = extraRss < GOAL_STREAM_MEMORY_MB * MB * (STREAMS / 1000);
    console.log(`budget ${withinGoal ? 'PASS' : 'FAIL'}  ${engine}: ${STREAMS} open streams < ${GOAL_STREAM_MEMORY_MB * (STREAMS / 1000)} MB above idle (RSS): +${mb(extraRss)}`);
    return withinGoal;
  } finally {
    await collector.stop();
  }
}

async function main(): Promise<void> {
  console.log(`conversations benchmark: ${REPLIES} replies timed, ${STREAMS} visitor streams held open; engines: ${ENGINES.join(', ')}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'framewire-bench-conversations-'));
  let cluster: PgCluster | undefined;
  const results: boolean[] = [];
  try {
    if (ENGINES.includes('sqlite')) results.push(await scenario('SQLite', `sqlite:${join(dir, 'bench.db')}`));
    if (ENGINES.includes('postgres')) {
      cluster = await startPgCluster({ fsync: true });
      results.push(await scenario('PostgreSQL', await cluster.createDatabase('bench_conversations')));
    }
    if (process.env.BENCH_STRICT === '1' && results.includes(false)) process.exitCode = 1;
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof RoutesMissingError) console.error(`bench/conversations: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
