/** The read API's path and query parameters (`analytics-read.ts`): limits, defaults, schemas, the day range. */
import { z } from 'zod';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { widgetIdSchema } from '../ingest/schemas';
import { DAY_MS, dayOf, isoDay } from '../analytics/days';

/** Limits and defaults of the read API's query parameters. */
export const READ_QUERY_LIMITS = Object.freeze({
  /** Days in the default range, `to` included: `from` = `to` − 29 days. */
  defaultRangeDays: 30,
  /** Most days one range may span, both ends included (two years and a leap day). */
  maxRangeDays: 731,
  /** Most rows of a top list (events, traffic sources, devices) or a page of sessions. */
  maxLimit: 100,
  /** Default `limit` of the top lists. */
  defaultTopLimit: 20,
  /** Default `limit` of `/sessions`. */
  defaultSessionLimit: 50,
  /** Longest `cursor`. */
  maxCursorLength: 200,
  /** `/active`: window in minutes, default and most. */
  defaultActiveMinutes: 5,
  maxActiveMinutes: 30,
  /** Longest id of `DELETE …/users/:id`. */
  maxVisitorIdLength: 128,
});

/** `YYYY-MM-DD` of a real UTC day from 1970 on. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string): boolean => {
  if (!DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString().slice(0, 10) === value;
};

// A query string may repeat a parameter (`?limit=1&limit=2` reads as an array) or leave it
// empty (`?cursor=`): the first is refused, the second means "not given".
const single = (message: string) => z.string({ error: 'must be given once' }).refine((value) => value.length > 0, message);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const DAY_MESSAGE = 'must be a UTC day as YYYY-MM-DD, e.g. 2025-01-31';
// The pattern before the check of the calendar: the OpenAPI document shows it.
const day = optional(single('must be a UTC day as YYYY-MM-DD').regex(DAY, DAY_MESSAGE).refine(isDay, DAY_MESSAGE)).describe(
  'A UTC day, YYYY-MM-DD. `from` and `to` are both included; `to` defaults to today, `from` to 29 days before `to`.',
);

const whole = (min: number, max: number, fallback: number) =>
  optional(
    single(`must be a whole number from ${min} to ${max}`)
      .regex(/^\d{1,6}$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  ).transform((value) => value ?? fallback);

const cursor = optional(
  single('must not be empty')
    .max(READ_QUERY_LIMITS.maxCursorLength, `must be at most ${READ_QUERY_LIMITS.maxCursorLength} characters`)
    // Opaque to clients, but always printable ASCII: anything else is not a cursor we gave out.
    .regex(/^[\x21-\x7e]+$/, 'must be a nextCursor from a previous page'),
).transform((value) => value ?? null);

const range = { from: day, to: day };

/** `…/summary`, `…/trends`, `…/offers`: `from`, `to`. */
export const rangeQuerySchema = z.object(range);

/** `…/events`, `…/traffic-sources`, `…/devices`: `from`, `to`, `limit` (1–100, default 20). */
export const topQuerySchema = z.object({
  ...range,
  limit: whole(1, READ_QUERY_LIMITS.maxLimit, READ_QUERY_LIMITS.defaultTopLimit),
});

/** `…/sessions`: `from`, `to`, `limit` (1–100, default 50), `cursor`. */
export const sessionsQuerySchema = z.object({
  ...range,
  limit: whole(1, READ_QUERY_LIMITS.maxLimit, READ_QUERY_LIMITS.defaultSessionLimit),
  cursor,
});

/** `…/active`: `minutes` (1–30, default 5). */
export const activeQuerySchema = z.object({
  minutes: whole(1, READ_QUERY_LIMITS.maxActiveMinutes, READ_QUERY_LIMITS.defaultActiveMinutes),
});

/** Path parameters of every read route. */
export const widgetParamsSchema = z.object({ widgetId: widgetIdSchema });

/** The UTC day (`YYYY-MM-DD`) of a time in ms. */
export function utcDay(ms: number): string {
  return isoDay(dayOf(ms));
}

const dayMs = (value: string): number => Date.parse(`${value}T00:00:00.000Z`);

/**
 * The day range of a read: `to` defaults to today (UTC, from `now`), `from` to `to` − 29 days.
 * @throws CollectorError `INVALID_REQUEST` when `from` is after `to` or the range spans more
 *   than {@link READ_QUERY_LIMITS.maxRangeDays} days.
 */
export function resolveDayRange(query: { from?: string | undefined; to?: string | undefined }, now: number): { from: string; to: string } {
  const to = query.to ?? utcDay(now);
  const from = query.from ?? utcDay(Math.max(0, dayMs(to) - (READ_QUERY_LIMITS.defaultRangeDays - 1) * DAY_MS));
  const days = (dayMs(to) - dayMs(from)) / DAY_MS + 1;
  if (days < 1) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad query: from: must not be after to (${from} > ${to})`);
  }
  if (days > READ_QUERY_LIMITS.maxRangeDays) {
    throw new CollectorError(
      COLLECTOR_ERROR_CODES.INVALID_REQUEST,
      `bad query: from: the range spans ${days} days, at most ${READ_QUERY_LIMITS.maxRangeDays} allowed`,
    );
  }
  return { from, to };
}
