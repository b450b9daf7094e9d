/*
 * Tiny structural checks for the host side, where zod's ~7 kB would not fit the embed
 * script's budget. The zod schemas in this folder are the specification; unit tests check
 * that the compact parsers accept and refuse exactly what those schemas do.
 */

export type PlainRecord = Record<string, unknown>;

/** A non-null object that is not an array. */
export function isRecord(value: unknown): value is PlainRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object whose own keys are exactly `keys` (no more, no fewer). */
export function hasExactKeys(value: unknown, keys: readonly string[]): value is PlainRecord {
  if (!isRecord(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/** A string whose length is within `[min, max]`. */
export function isStringOf(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** A record whose prototype is `Object.prototype` or `null`: what JSON makes. */
export function isPlainObject(value: unknown): value is PlainRecord {
  return isRecord(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);
}
