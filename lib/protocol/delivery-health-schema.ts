import { z } from 'zod';
import {
  BRIDGE_EVENT,
  DELIVERY_COUNTERS,
  DELIVERY_EVENT,
  MAX_HEALTH_COUNT,
  MAX_PENDING_AGE_MS,
  MAX_ROUND_TRIP_MS,
  OLDEST_PENDING_KEY,
} from './delivery-health';

/*
 * The zod side of `delivery-health.ts`: the reserved events' properties as the collector
 * accepts them, and the answer of `GET /api/widgets/:widgetId/analytics/delivery`. Apart from
 * the constants so that the embed script, which imports only those, carries no zod.
 */

const whole = (max: number) => z.number().int().min(0).max(max);

const REFUSED_PREFIX = 'refused_';
const OTHER = 'refused_other';
const KNOWN_COUNTERS: ReadonlySet<string> = new Set(DELIVERY_COUNTERS);

/**
 * A page counts each refusal under `refused_<reason>`, the reason as the collector named it.
 * A reason this collector does not list (one a later version adds, or an older page keeps) is
 * added to `refused_other` rather than failing the whole report.
 */
function foldUnknownRefusals(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const folded: Record<string, unknown> = {};
  let other = 0;
  for (const [key, count] of Object.entries(value)) {
    if (!key.startsWith(REFUSED_PREFIX) || (KNOWN_COUNTERS.has(key) && key !== OTHER)) folded[key] = count;
    else if (typeof count !== 'number') return value;
    else other += count;
  }
  if (other !== 0 || OTHER in value) folded[OTHER] = other;
  return folded;
}

/**
 * The properties of a `$delivery` event: only the known keys (unknown refusal reasons counted
 * as `refused_other`), each optional, whole numbers within the limits; a longer `oldest_ms` is
 * taken as `MAX_PENDING_AGE_MS` (the embed does not cap it, to stay small).
 */
export const deliveryReportSchema = z.preprocess(
  foldUnknownRefusals,
  z.strictObject({
    ...Object.fromEntries(DELIVERY_COUNTERS.map((key) => [key, whole(MAX_HEALTH_COUNT).optional()])),
    [OLDEST_PENDING_KEY]: z
      .number()
      .int()
      .min(0)
      .transform((ms) => Math.min(ms, MAX_PENDING_AGE_MS))
      .optional(),
  } as Record<string, z.ZodType<number | undefined>>),
);

/** The properties of a `$bridge` event. */
export const bridgeReportSchema = z.strictObject({
  disconnects: whole(MAX_HEALTH_COUNT),
  samples: whole(MAX_HEALTH_COUNT),
  p50_ms: whole(MAX_ROUND_TRIP_MS).optional(),
  p99_ms: whole(MAX_ROUND_TRIP_MS).optional(),
});

/** The schema of each reserved event's `properties`, by event name. */
export const RESERVED_EVENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  [DELIVERY_EVENT]: deliveryReportSchema,
  [BRIDGE_EVENT]: bridgeReportSchema,
};

const count = z.number().int().min(0);
/** A percentile read from a histogram of reported values: the upper bound of its bucket, ms; null without reports. */
const percentile = z.number().int().min(0).nullable();

/** Delivery health of one day, or of the whole range (`total`, without `date`). */
export const deliveryHealthFiguresSchema = z.object({
  /** `$delivery` reports received. */
  reports: count,
  /** Events dropped by the host queues' bounds: `maxEvents` (`count`) and `maxBytes` (`bytes`). */
  dropped: z.object({ count, bytes: count }),
  /** Events the collector refused, by reason. */
  refused: z.object({
    /** A single event answered 400 or 413. */
    http: count,
    tooOld: count,
    inFuture: count,
    tooLarge: count,
    invalid: count,
    other: count,
  }),
  /** Failed sends the queues retried. */
  retries: count,
  /** Age of the oldest event waiting at a send, ms: the largest reported and the 95th percentile of the reports. */
  oldestPendingMs: z.object({ max: count, p95: percentile }),
  /** The widgets' bridge to the host page. */
  bridge: z.object({
    /** `$bridge` reports received. */
    reports: count,
    disconnects: count,
    /** Median of the reported medians and 99th percentile of the reported 99th percentiles. */
    roundTripP50Ms: percentile,
    roundTripP99Ms: percentile,
  }),
});

/** `GET /api/widgets/:widgetId/analytics/delivery`: every day of the range, and the range as a whole. */
export const deliveryHealthAnswerSchema = z.object({
  widgetId: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(deliveryHealthFiguresSchema.extend({ date: z.string() })),
  total: deliveryHealthFiguresSchema,
});

/** One day's or the range's figures. */
export type DeliveryHealthFigures = z.infer<typeof deliveryHealthFiguresSchema>;
/** The answer of the delivery health route. */
export type DeliveryHealthAnswer = z.infer<typeof deliveryHealthAnswerSchema>;
