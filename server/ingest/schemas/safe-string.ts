import { z } from 'zod';
import { EVENT_ID_PATTERN, WIDGET_ID_PATTERN } from '../../../lib/protocol/collector';
import type { TextField } from '../../../lib/protocol/collector';
import { isStorableString } from '../../../lib/protocol/storable';

export { EVENT_ID_PATTERN, isStorableString };

// NUL and lone surrogates cannot be stored in PostgreSQL text/JSONB; refusing them keeps both
// engines alike and keeps one such event from failing a whole batch (the rule is the contract's).

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

/** A required text field of the contract: present, 1 to `max` storable characters. */
export const requiredText = (field: TextField & { required: true }) => safeString(field.max, 1);

/** An optional text field of the contract: absent, `null` or up to `max` storable characters. */
export const optionalText = (field: TextField & { required: false }) => optionalString(field.max);

/** A client event id (the contract's `EVENT_ID_PATTERN`). */
export const eventIdSchema = z.string().regex(EVENT_ID_PATTERN);

/** Widget ids: the contract's `WIDGET_ID_PATTERN`. */
export const widgetIdSchema = z
  .string()
  .regex(WIDGET_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit');

/** Milliseconds since the epoch, a whole number (the contract's `isTimestamp`). */
export const timestampSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
