import { z } from 'zod';

// NUL and lone surrogates cannot be stored in PostgreSQL text/JSONB; refusing them here keeps
// both engines alike and keeps one such event from failing a whole batch.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when a string holds neither NUL nor an unpaired surrogate. */
export function isStorableString(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** A string of at most `max` characters that both engines can store. */
export function safeString(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine(isStorableString, 'contains NUL or an unpaired surrogate');
}

/** An optional string field: absent, `null` or a {@link safeString}; read as `string | null`. */
export function optionalString(max: number) {
  return safeString(max)
    .nullish()
    .transform((value) => value ?? null);
}

/** A client event id: 1–64 characters of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Widget ids: the same shape as event ids. */
export const widgetIdSchema = z.string().regex(EVENT_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');

/** Milliseconds since the epoch, a whole number. */
export const timestampSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
