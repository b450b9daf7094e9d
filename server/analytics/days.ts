/** One UTC day in ms. */
export const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of a time in ms since the epoch. */
export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS);

/** `YYYY-MM-DD` of a UTC day number. */
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The UTC day number of a valid `YYYY-MM-DD`, or null. */
export function parseIsoDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2025-02-30 over to March: a round trip catches it.
  return Number.isNaN(ms) || isoDay(ms / DAY_MS) !== text ? null : ms / DAY_MS;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`, `from` ≤ `to`), as day numbers. */
export function dayBounds(range: { from: string; to: string }): { first: number; last: number } {
  const first = parseIsoDay(range.from);
  const last = parseIsoDay(range.to);
  if (first === null || last === null) throw new RangeError(`Not a YYYY-MM-DD range: ${range.from}..${range.to}`);
  return { first, last };
}
