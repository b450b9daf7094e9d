import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { drainAnalytics, startCollector } from '../../server/index';
import { openSqliteStore } from '../../server/store';
import type { EventRow, EventStore } from '../../server/store';
import { DAY_MS, isoDay } from '../../server/analytics/days';
import { eventRow } from '../../__tests__/support/event-rows';

/**
 * Analytics read benchmark on SQLite: `EVENTS` events (default 1,000,000) over 90 days, stored
 * through the store's normal ingest path and folded by the analytics worker's drain (so
 * sessions and daily counters are built as in production), then each read timed `RUNS` times (default 300) over the last 30 days.
 *
 * Then the same two endpoints the goals name over HTTP: a collector on loopback around the same
 * store, with an API key, sequential requests.
 *
 * Goals (issue): summary p99 < 20 ms and trends p99 < 50 ms (seed 003: < 50 ms and < 100 ms),
 * checked on the HTTP figures.
 * Prints figures and one budget line per goal; `BENCH_STRICT=1` exits 1 if a goal is missed.
 */

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const DAYS = 90;
const VISITORS = 40_000;
const WIDGET = 'bench';
const BATCH = 500;
const NAMES = ['widget_loaded', 'widget_opened', 'message_sent', 'message_received', 'widget_closed'] as const;
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const SOURCES = ['', 'https://www.google.com/', 'https://news.example/', 'https://t.co/x'];
/** Offers and their button variants, as a survey with A/B variants would show them. */
const OFFERS = [
  { offerId: 'trial', variants: ['a', 'b'] },
  { offerId: 'newsletter', variants: ['default'] },
  { offerId: 'upgrade', variants: ['a', 'b', 'c'] },
] as const;

/** A small deterministic generator, so that runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Sessions of 1–16 events a few minutes apart, by visitors drawn from `VISITORS`, in time order
 * per batch; about 8 % are offer clicks and 10 % `offer_shown` events, over three offers and
 * their variants.
 */
function* generate(now: number): Generator<EventRow[]> {
  const next = random(42);
  const start = now - DAYS * DAY_MS;
  let made = 0;
  let batch: EventRow[] = [];
  while (made < EVENTS) {
    const visitor = `visitor-${Math.floor(next() * VISITORS)}`;
    let ts = start + Math.floor(next() * (DAYS * DAY_MS - DAY_MS));
    const length = 1 + Math.floor(next() * 16);
    const userAgent = USER_AGENTS[Math.floor(next() * USER_AGENTS.length)] as string;
    const referrer = SOURCES[Math.floor(next() * SOURCES.length)] as string;
    for (let i = 0; i < length && made < EVENTS; i++, made++) {
      ts += Math.floor(next() * 5 * 60_000);
      const draw = next();
      const click = draw < 0.08;
      const shown = !click && draw < 0.18;
      const offer = OFFERS[Math.floor(next() * OFFERS.length)] as (typeof OFFERS)[number];
      const variant = offer.variants[Math.floor(next() * offer.variants.length)] as string;
      let name = NAMES[Math.floor(next() * NAMES.length)] as string;
      if (click) name = 'offer_click';
      if (shown) name = 'offer_shown';
      batch.push(
        eventRow({
          widgetId: WIDGET,
          eventId: `e${String(made).padStart(9, '0')}`,
          kind: click ? 'click' : 'analytics',
          name,
          sessionId: visitor,
          questionId: click ? 'q1' : null,
          offerId: click ? offer.offerId : null,
          buttonVariantId: click ? variant : null,
          ts,
          userAgent,
          properties: shown ? { offerId: offer.offerId, questionId: 'q1', buttonVariantId: variant } : null,
          context: click ? null : { page: 'https://shop.example/', referrer, utm: { source: referrer ? 'ref' : 'none' }, screen: '1920x1080' },
        }),
      );
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

async function time(name: string, run: () => Promise<unknown>): Promise<{ p50: number; p99: number; mean: number }> {
  for (let i = 0; i < 20; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
  const figures = { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
  console.log(`${name.padEnd(34)} mean ${figures.mean.toFixed(2).padStart(7)} ms   p50 ${figures.p50.toFixed(2).padStart(7)} ms   p99 ${figures.p99.toFixed(2).padStart(7)} ms`);
  return figures;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'framewire-analytics-bench-'));
  const store: EventStore = openSqliteStore({ filename: join(dir, 'analytics.db'), synchronous: 'normal' });
  try {
    const now = Date.now();
    const t0 = performance.now();
    for (const batch of generate(now)) await store.insertEvents(batch);
    const seeded = (performance.now() - t0) / 1000;
    // Ingestion only queues the analytics: fold them all before reading.
    const t1 = performance.now();
    await drainAnalytics(store, 600_000);
    const folded = (performance.now() - t1) / 1000;
    const to = isoDay(Math.floor(now / DAY_MS));
    const from30 = isoDay(Math.floor(now / DAY_MS) - 29);
    const from90 = isoDay(Math.floor(now / DAY_MS) - 89);
    const all = await store.summary({ widgetId: WIDGET, from: from90, to });
    console.log(
      `analytics read benchmark, SQLite: ${EVENTS.toLocaleString('en')} events over ${DAYS} days ` +
        `(${all.sessions.toLocaleString('en')} sessions, ${all.visitors.toLocaleString('en')} visitors), ` +
        `stored through the ingest path in ${seeded.toFixed(1)} s (${Math.round(EVENTS / seeded).toLocaleString('en')} events/s in batches of ${BATCH}) ` +
        `and folded into the analytics in ${folded.toFixed(1)} s; ${RUNS} runs each\n`,
    );
    const last30 = { widgetId: WIDGET, from: from30, to };
    const last90 = { widgetId: WIDGET, from: from90, to };
    await time('summary, 30 days', () => store.summary(last30));
    await time('summary, 90 days', () => store.summary(last90));
    await time('trends, 30 days', () => store.trends(last30));
    await time('trends, 90 days', () => store.trends(last90));
    await time('events (top 20), 30 days', () => store.topEvents({ ...last30, limit: 20 }));
    await time('sessions (page of 50), 30 days', () => store.listSessions({ ...last30, limit: 50, cursor: null }));
    await time('traffic-sources, 30 days', () => store.trafficSources({ ...last30, limit: 20 }));
    await time('devices, 30 days', () => store.devices({ ...last30, limit: 20 }));
    await time('active (5 min)', () => store.activeSessions({ widgetId: WIDGET, now, windowMs: 5 * 60_000 }));
    await time('offers, 30 days', () => store.offers(last30));
    await time('offers, 90 days', () => store.offers(last90));

    const key = 'bench-key-0123456789abcdef';
    const collector = await startCollector(
      { port: 0, logLevel: 'silent', apiKeys: [{ key, owner: 'bench', widgets: [WIDGET] }], retention: { schedule: false } },
      { store },
    );
    let summary: Awaited<ReturnType<typeof time>>;
    let trends: Awaited<ReturnType<typeof time>>;
    try {
      const get = (path: string) => async () => {
        const answer = await fetch(`${collector.url}/api/analytics/widget/${WIDGET}/${path}?from=${from30}&to=${to}`, {
          headers: { authorization: `Bearer ${key}` },
          // A request and its body within 30 s, or the benchmark fails with the reason.
          signal: AbortSignal.timeout(30_000),
        });
        if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
        await answer.json();
      };
      console.log('\nover HTTP (loopback, API key, sequential):');
      summary = await time('GET summary, 30 days', get('summary'));
      trends = await time('GET trends, 30 days', get('trends'));
      await time('GET offers, 30 days', get('offers'));
    } finally {
      await collector.close();
    }

    console.log('');
    const results = [
      budget('GET summary p99 < 20 ms (seed: < 50 ms)', summary.p99 < 20, `${summary.p99.toFixed(2)} ms`),
      budget('GET trends p99 < 50 ms (seed: < 100 ms)', trends.p99 < 50, `${trends.p99.toFixed(2)} ms`),
    ];
    if (process.env.BENCH_STRICT === '1' && results.includes(false)) process.exitCode = 1;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function budget(label: string, ok: boolean, detail: string): boolean {
  console.log(`budget ${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`);
  return ok;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
