import { z } from 'zod';
import { FIELD_LIMITS } from './click-event';
import { jsonObjectSchema } from './json-object';
import { EVENT_ID_PATTERN, optionalString, safeString, timestampSchema } from './safe-string';

/** Where an analytics event happened; unknown fields are ignored. */
export const eventContextSchema = z.object({
  page: optionalString(FIELD_LIMITS.url),
  referrer: optionalString(FIELD_LIMITS.url),
  utm: z
    .object({
      source: optionalString(FIELD_LIMITS.short),
      medium: optionalString(FIELD_LIMITS.short),
      campaign: optionalString(FIELD_LIMITS.short),
      term: optionalString(FIELD_LIMITS.short),
      content: optionalString(FIELD_LIMITS.short),
    })
    .nullish(),
  screen: optionalString(32),
  userAgent: optionalString(FIELD_LIMITS.userAgent),
  locale: optionalString(35),
  timezone: optionalString(64),
});

/** One analytics event (seed 003 vocabulary). Unknown fields are ignored. */
export const analyticsEventSchema = z.object({
  id: z.string().regex(EVENT_ID_PATTERN),
  name: safeString(100, 1),
  category: optionalString(64),
  sessionId: safeString(FIELD_LIMITS.id, 1),
  anonymousId: optionalString(FIELD_LIMITS.id),
  userId: optionalString(FIELD_LIMITS.id),
  timestamp: timestampSchema,
  properties: jsonObjectSchema.nullish().transform((value) => value ?? null),
  context: eventContextSchema.nullish().transform((value) => value ?? null),
});

/** An analytics event after validation. */
export type AnalyticsEvent = z.output<typeof analyticsEventSchema>;
