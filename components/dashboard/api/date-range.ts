const DAY_MS = 24 * 60 * 60 * 1000;

/** The ranges the picker offers, in days. */
export const RANGE_DAYS = [7, 30, 90] as const;

export type RangeDays = (typeof RANGE_DAYS)[number];

/** A range of whole UTC days, both ends included, as the read API takes it. */
export interface DayRangeQuery {
  /** `YYYY-MM-DD` (UTC). */
  from: string;
  /** `YYYY-MM-DD` (UTC), included. */
  to: string;
}

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The last `days` UTC days up to and including today (`now`'s day). */
export function lastDays(days: number, now: number): DayRangeQuery {
  return { from: utcDay(now - (days - 1) * DAY_MS), to: utcDay(now) };
}
