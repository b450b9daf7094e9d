import { clickBatch, runLoad } from './load';

/**
 * How soon stored events show in the collector's analytics, seen from outside over HTTP: the
 * summary's `events` counter of a widget (`GET /api/analytics/widget/:widgetId/summary`).
 * Whether the rollups are updated inside the ingest transaction or later by a worker, these
 * measure what a reader of the API sees.
 */

/** Tunables of the freshness checks; every wait has a deadline. */
export const FRESHNESS_DEFAULTS = Object.freeze({
  /**
   * How long the catch-up check waits for the summary to count every stored event.
   * @default 60000
   */
  catchUpDeadlineMs: 60_000,
  /**
   * Pause between two summary reads of the catch-up check.
   * @default 20
   */
  catchUpPollMs: 20,
  /**
   * Pause between two summary reads of one probe.
   * @default 10
   */
  probePollMs: 10,
  /**
   * One probe every this many ms (probes run one after the other: a probe slower than this
   * delays the next one rather than piling up pollers).
   * @default 100
   */
  probeIntervalMs: 100,
  /**
   * How long one probe waits for its event to show before it counts as missed.
   * @default 10000
   */
  probeDeadlineMs: 10_000,
  /**
   * Deadline of one HTTP request of the checks.
   * @default 5000
   */
  requestTimeoutMs: 5_000,
});

/** Where and how to read a collector's analytics. */
export interface AnalyticsReader {
  url: string;
  apiKey: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The summary's `events` of a widget over yesterday..tomorrow (UTC), so a midnight in between changes nothing. */
export async function summaryEvents(reader: AnalyticsReader, widgetId: string): Promise<number> {
  const now = Date.now();
  const query = `from=${utcDay(now - 86_400_000)}&to=${utcDay(now + 86_400_000)}`;
  const response = await fetch(`${reader.url}/api/analytics/widget/${encodeURIComponent(widgetId)}/summary?${query}`, {
    headers: { authorization: `Bearer ${reader.apiKey}` },
    signal: AbortSignal.timeout(FRESHNESS_DEFAULTS.requestTimeoutMs),
  });
  if (response.status !== 200) throw new Error(`summary of ${widgetId}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { events?: unknown };
  if (typeof body.events !== 'number') throw new Error(`summary of ${widgetId}: no events count`);
  return body.events;
}

/**
 * Reads the widget's summary until it counts at least `expectedEvents` (more is possible: a
 * request cut off when the load stopped may have been stored without its answer being
 * counted). Gives the ms from `since` to the first read that counted them, or `null` once
 * `catchUpDeadlineMs` has passed.
 */
export async function waitForCatchUp(reader: AnalyticsReader, widgetId: string, expectedEvents: number, since: number): Promise<number | null> {
  const deadline = since + FRESHNESS_DEFAULTS.catchUpDeadlineMs;
  while (Date.now() < deadline) {
    if ((await summaryEvents(reader, widgetId)) >= expectedEvents) return Date.now() - since;
    await sleep(FRESHNESS_DEFAULTS.catchUpPollMs);
  }
  return null;
}

/** One probe: sends one click for a widget of its own, then reads its summary until it counts it. */
async function probe(reader: AnalyticsReader, widgetId: string): Promise<number | null> {
  const response = await fetch(`${reader.url}/api/track/click/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: clickBatch(1, widgetId),
    signal: AbortSignal.timeout(FRESHNESS_DEFAULTS.requestTimeoutMs),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`probe ${widgetId}: HTTP ${response.status}`);
  const storedAt = Date.now();
  while (Date.now() - storedAt < FRESHNESS_DEFAULTS.probeDeadlineMs) {
    if ((await summaryEvents(reader, widgetId)) >= 1) return Date.now() - storedAt;
    await sleep(FRESHNESS_DEFAULTS.probePollMs);
  }
  return null;
}

/** What {@link measureLag} saw. */
export interface LagFigures {
  /** ms from a probe's 200 to the first summary that counted it, sorted. */
  lagsMs: number[];
  /** Probes not counted within `probeDeadlineMs`. */
  missed: number;
  /** The fixed-rate load, as measured. */
  loadEventsPerSecond: number;
}

/**
 * Lag under a steady load: a fixed-rate click load of `requestsPerSecond` for `durationSeconds`,
 * and meanwhile a probe every `probeIntervalMs` (each for a fresh widget `probe-<tag>-<n>`).
 */
export async function measureLag(
  reader: AnalyticsReader,
  load: { connections: number; eventsPerBatch: number; requestsPerSecond: number; durationSeconds: number },
): Promise<LagFigures> {
  const tag = Date.now().toString(36);
  const lagsMs: number[] = [];
  let missed = 0;
  const loadDone = runLoad({ urls: [reader.url], ...load });
  let loadRunning = true;
  void loadDone.finally(() => (loadRunning = false)).catch(() => undefined);
  // Let the fixed-rate load settle before the first probe.
  await sleep(500);
  for (let n = 0; loadRunning; n += 1) {
    const started = Date.now();
    const lag = await probe(reader, `probe-${tag}-${n}`);
    if (lag === null) missed += 1;
    else lagsMs.push(lag);
    await sleep(Math.max(0, FRESHNESS_DEFAULTS.probeIntervalMs - (Date.now() - started)));
  }
  const figures = await loadDone;
  return { lagsMs: lagsMs.sort((a, b) => a - b), missed, loadEventsPerSecond: figures.eventsPerSecond };
}

/** The `p`-th percentile (0..1) of sorted values, nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}
