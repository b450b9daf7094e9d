/**
 * The ingestion routes' answers as schemas (the OpenAPI document is generated from them).
 * Kept apart from `collector.ts`, which the embed imports: the embed needs the types only,
 * and must not carry zod.
 */
import * as z from 'zod/mini';

/** One event the collector will not store, and why. */
export const EventFailureSchema = z.strictObject({
  /** The event's id, or `#<index>` (0-based position in `events`) when it has no usable id. */
  id: z.string(),
  /** `too_old`, `in_future`, `too_large` or `invalid: <field>`. */
  reason: z.string(),
});
export type EventFailure = z.infer<typeof EventFailureSchema>;

/** The 200 answer to a batch request: every event of the request in one of the three lists. */
export const BatchAnswerSchema = z.strictObject({
  /** Stored by this request. */
  accepted: z.array(z.string()),
  /** Already stored earlier (or repeated in this batch): the client drops them too. */
  duplicates: z.array(z.string()),
  /** Refused for good: the client drops them (retrying cannot help). */
  failed: z.array(EventFailureSchema),
});
export type BatchAnswer = z.infer<typeof BatchAnswerSchema>;
