import { z } from 'zod';
import { EVENT_ID_PATTERN, optionalString, safeString, timestampSchema } from './safe-string';

/** Length caps of the text fields of events (characters). */
export const FIELD_LIMITS = Object.freeze({
  id: 128,
  userAgent: 1024,
  url: 2048,
  short: 256,
});

/** One offer click, as the embed script sends it. Unknown fields are ignored. */
export const clickEventSchema = z.object({
  id: z.string().regex(EVENT_ID_PATTERN),
  sessionId: safeString(FIELD_LIMITS.id, 1),
  offerId: safeString(FIELD_LIMITS.id, 1),
  questionId: optionalString(FIELD_LIMITS.id),
  buttonVariantId: optionalString(FIELD_LIMITS.id),
  timestamp: timestampSchema,
  userAgent: optionalString(FIELD_LIMITS.userAgent),
});

/** A click event after validation. */
export type ClickEvent = z.output<typeof clickEventSchema>;
