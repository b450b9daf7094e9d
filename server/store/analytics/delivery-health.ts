/**
 * The delivery health rollup (migration 8): per widget and UTC day, the `$delivery` and
 * `$bridge` reports folded into named figures, written by the analytics fold with the other
 * rollups, read by `GET /api/widgets/:widgetId/analytics/delivery`.
 *
 * A figure is one row `(widget_id, day, metric, value)`:
 * - sums: `reports`, each `$delivery` counter by its wire name, `bridge_reports`, `disconnects`;
 * - largest: `max:oldest_ms`;
 * - histograms of reported values, one row per bucket: `h:oldest_ms:<bucket>`,
 *   `h:p50_ms:<bucket>`, `h:p99_ms:<bucket>` (see {@link bucketOf}).
 * Percentiles over many reports come from the histograms: the median of the reported
 * round-trip medians, the 99th percentile of the reported 99th percentiles, the 95th
 * percentile of the reported oldest waits. Each is the upper bound of its bucket, so within a
 * factor √2 above the true value; a histogram adds up over days and widgets' reports, which
 * a list of percentiles would not.
 */
import { BRIDGE_EVENT, DELIVERY_COUNTERS, DELIVERY_EVENT, OLDEST_PENDING_KEY } from '../../../lib/protocol/delivery-health';
import type { DeliveryHealthAnswer, DeliveryHealthFigures } from '../../../lib/protocol/delivery-health-schema';
import { dayBounds, dayOf, isoDay } from '../../analytics/days';
import type { DayRange } from '../../analytics/types';
import type { EventRow } from '../types';
import { exec } from '../sql-runner';
import type { Statement } from '../sql-runner';

/** Migration 8: the rollup table, the same on both engines but for the integer type. */
export function deliveryHealthSchemaSql(integer: 'INTEGER' | 'BIGINT'): string {
  return `
      CREATE TABLE delivery_health (
        widget_id  TEXT NOT NULL,
        day        INTEGER NOT NULL,
        metric     TEXT NOT NULL,
        value      ${integer} NOT NULL,
        PRIMARY KEY (widget_id, day, metric)
      );`;
}

const ADD = `INSERT INTO delivery_health (widget_id, day, metric, value) VALUES (?, ?, ?, ?)
  ON CONFLICT (widget_id, day, metric) DO UPDATE SET value = delivery_health.value + excluded.value`;
// CASE, not MAX()/GREATEST(): one statement for both engines.
const KEEP_MAX = `INSERT INTO delivery_health (widget_id, day, metric, value) VALUES (?, ?, ?, ?)
  ON CONFLICT (widget_id, day, metric) DO UPDATE SET value = CASE WHEN excluded.value > delivery_health.value THEN excluded.value ELSE delivery_health.value END`;

const MAX_PREFIX = 'max:';
const HISTOGRAM_PREFIX = 'h:';

/** The histogram bucket of a value in ms: `ceil(2·log2(ms))`, 0 for up to 1 ms. */
export const bucketOf = (ms: number): number => (ms <= 1 ? 0 : Math.ceil(2 * Math.log2(ms)));
/** The upper bound (ms) of a bucket, rounded up. */
export const bucketBound = (bucket: number): number => Math.ceil(2 ** (bucket / 2));

/** True for the reserved events this rollup folds; the fold keeps them out of the visitor analytics. */
export const isHealthReport = (row: EventRow): boolean => row.kind === 'analytics' && (row.name === DELIVERY_EVENT || row.name === BRIDGE_EVENT);

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * The writes that fold reports into the rollup: one statement per (widget, day, metric),
 * summed in memory first (a multi-row upsert may not touch one row twice on PostgreSQL).
 */
export function deliveryHealthWrites(reports: readonly EventRow[]): Statement[] {
  const sums = new Map<string, [string, number, string, number]>();
  const maxes = new Map<string, [string, number, string, number]>();
  const add = (row: EventRow, metric: string, value: number | undefined, into = sums): void => {
    if (value === undefined) return;
    const day = dayOf(row.ts);
    const key = `${row.widgetId}\u0000${day}\u0000${metric}`;
    const entry = into.get(key);
    if (!entry) into.set(key, [row.widgetId, day, metric, value]);
    else entry[3] = into === maxes ? Math.max(entry[3], value) : entry[3] + value;
  };
  const histogram = (row: EventRow, name: string, value: number | undefined): void => {
    if (value !== undefined) add(row, `${HISTOGRAM_PREFIX}${name}:${bucketOf(value)}`, 1);
  };
  for (const row of reports) {
    const properties = row.properties ?? {};
    if (row.name === DELIVERY_EVENT) {
      add(row, 'reports', 1);
      for (const key of DELIVERY_COUNTERS) add(row, key, numberOf(properties[key]));
      const oldest = numberOf(properties[OLDEST_PENDING_KEY]);
      add(row, MAX_PREFIX + OLDEST_PENDING_KEY, oldest, maxes);
      histogram(row, OLDEST_PENDING_KEY, oldest);
    } else {
      add(row, 'bridge_reports', 1);
      add(row, 'disconnects', numberOf(properties.disconnects));
      histogram(row, 'p50_ms', numberOf(properties.p50_ms));
      histogram(row, 'p99_ms', numberOf(properties.p99_ms));
    }
  }
  return [...[...sums.values()].map((values) => exec(ADD, ...values)), ...[...maxes.values()].map((values) => exec(KEEP_MAX, ...values))];
}

/** The value at rank `q` (0..1) of a histogram of bucket → count, as its bucket's upper bound; null when empty. */
function percentileOf(histogram: Map<number, number>, q: number): number | null {
  const total = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket) ?? 0;
    if (seen >= rank) return bucketBound(bucket);
  }
  return null;
}

/** The figures of a set of rollup rows (one day's, or the range's). */
function figuresOf(metrics: readonly { metric: string; value: number }[]): DeliveryHealthFigures {
  const sum = new Map<string, number>();
  const histograms = new Map<string, Map<number, number>>();
  let oldestMax = 0;
  for (const { metric, value } of metrics) {
    if (metric === MAX_PREFIX + OLDEST_PENDING_KEY) oldestMax = Math.max(oldestMax, value);
    else if (metric.startsWith(HISTOGRAM_PREFIX)) {
      const [, name = '', bucket = '0'] = metric.split(':');
      const histogram = histograms.get(name) ?? new Map<number, number>();
      histogram.set(Number(bucket), (histogram.get(Number(bucket)) ?? 0) + value);
      histograms.set(name, histogram);
    } else sum.set(metric, (sum.get(metric) ?? 0) + value);
  }
  const n = (metric: string): number => sum.get(metric) ?? 0;
  const p = (name: string, q: number): number | null => percentileOf(histograms.get(name) ?? new Map(), q);
  return {
    reports: n('reports'),
    dropped: { count: n('dropped_count'), bytes: n('dropped_bytes') },
    refused: {
      http: n('refused_http'),
      tooOld: n('refused_too_old'),
      inFuture: n('refused_in_future'),
      tooLarge: n('refused_too_large'),
      invalid: n('refused_invalid'),
      other: n('refused_other'),
    },
    retries: n('retries'),
    oldestPendingMs: { max: oldestMax, p95: p(OLDEST_PENDING_KEY, 0.95) },
    bridge: { reports: n('bridge_reports'), disconnects: n('disconnects'), roundTripP50Ms: p('p50_ms', 0.5), roundTripP99Ms: p('p99_ms', 0.99) },
  };
}

/** The rollup rows of a widget's range, as the reader's query gives them. */
export const SELECT_DELIVERY_HEALTH = 'SELECT day, metric, value FROM delivery_health WHERE widget_id = ? AND day >= ? AND day <= ?';

/** The answer of the delivery route from the range's rollup rows: every day of the range, and the total. */
export function deliveryHealthAnswer(range: DayRange, found: readonly Record<string, unknown>[]): DeliveryHealthAnswer {
  const { first, last } = dayBounds(range);
  const byDay = new Map<number, { metric: string; value: number }[]>();
  const all = found.map((r) => ({ day: Number(r.day), metric: String(r.metric), value: Number(r.value) }));
  for (const row of all) {
    const list = byDay.get(row.day) ?? [];
    list.push(row);
    byDay.set(row.day, list);
  }
  const days = [];
  for (let day = first; day <= last; day++) days.push({ date: isoDay(day), ...figuresOf(byDay.get(day) ?? []) });
  return { widgetId: range.widgetId, from: range.from, to: range.to, days, total: figuresOf(all) };
}
