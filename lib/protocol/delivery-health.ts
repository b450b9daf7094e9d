/*
 * Delivery health: what the host page's queues and the widget's bridge report about getting
 * events to the collector, as two reserved analytics events. Both sides import this file: the
 * embed and the widget produce the events, the collector validates and rolls them up
 * (`delivery-health-schema.ts` holds the zod schemas, kept apart so that the embed script
 * never pulls zod in), the dashboard reads the answer.
 *
 * A reserved event is not visitor activity: the collector keeps it as a raw event but out of
 * sessions, visitors, the daily counters and the top events.
 */

/**
 * The host queues' report: counters since the last report the collector confirmed, added by
 * the analytics queue to a batch it is sending anyway.
 */
export const DELIVERY_EVENT = '$delivery';

/** The widget's report on its bridge to the host page: disconnects and heartbeat round trips. */
export const BRIDGE_EVENT = '$bridge';

/** The `sessionId` of a `$delivery` event: the host page knows no session; the field is required. */
export const DELIVERY_SESSION_ID = '$delivery';

/** Fewest milliseconds between two new reports of one page (queues) or one widget (bridge). */
export const DELIVERY_REPORT_INTERVAL_MS = 60_000;

/**
 * The collector's per-event refusal reasons (`failed[].reason`, up to its first `:`) that a
 * `$delivery` report counts on their own; any other is `refused_other`.
 */
export const REFUSAL_REASONS = ['too_old', 'in_future', 'too_large', 'invalid'] as const;

/**
 * The counters of a `$delivery` report (its `properties`; each absent = 0), in the
 * collector's words:
 * - `dropped_count`, `dropped_bytes`: events dropped by a queue's `maxEvents` / `maxBytes` bound;
 * - `refused_http`: a single event answered 400 or 413, dropped;
 * - `refused_<reason>`: listed in a 200 answer's `failed` (see {@link REFUSAL_REASONS}), `refused_other`;
 * - `retries`: failed sends that the queue will retry (network, deadline, 408, 429, 5xx …).
 *
 * Events dropped after a 403 `origin_not_allowed` are not in it: the report would meet the
 * same refusal. The collector counts those itself, as it refuses them (its refusal log).
 */
export const DELIVERY_COUNTERS = [
  'dropped_count',
  'dropped_bytes',
  'refused_http',
  'refused_too_old',
  'refused_in_future',
  'refused_too_large',
  'refused_invalid',
  'refused_other',
  'retries',
] as const;

/** One counter of a `$delivery` report. */
export type DeliveryCounter = (typeof DELIVERY_COUNTERS)[number];

/**
 * The gauge of a `$delivery` report: the age (ms) of the oldest event a queue tried to send
 * since the last report, measured at each send.
 */
export const OLDEST_PENDING_KEY = 'oldest_ms';

/**
 * An `oldest_ms` at least this long is worth a report on its own; shorter waits are reported
 * only along with a counter.
 */
export const SLOW_PENDING_MS = 60_000;

/** A `$delivery` report's properties: counters and the gauge, whole numbers. */
export type DeliveryReport = Partial<Record<DeliveryCounter | typeof OLDEST_PENDING_KEY, number>>;

/** The properties of a `$bridge` report, whole numbers. */
export interface BridgeReport {
  /** Times the bridge went from connected to disconnected since the last report. */
  disconnects: number;
  /** Heartbeat round trips measured since the last report. */
  samples: number;
  /** Median and 99th percentile of those round trips, ms; absent without samples. */
  p50_ms?: number;
  p99_ms?: number;
}

/** Largest value of a counter (`$delivery` counters, `disconnects`, `samples`). */
export const MAX_HEALTH_COUNT = 1_000_000;

/**
 * Largest `oldest_ms` (about 115 days, beyond any event age the collector accepts): the
 * collector takes a longer one as this.
 */
export const MAX_PENDING_AGE_MS = 10_000_000_000;

/** Largest round trip in a `$bridge` report (an hour: a bridge call that long is dead). */
export const MAX_ROUND_TRIP_MS = 3_600_000;
