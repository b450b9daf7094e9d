import { z } from 'zod';
import { ANALYTICS_FIELDS, CONTEXT_FIELDS, UTM_FIELDS } from '../../../lib/protocol/collector';
import { jsonObjectSchema } from './json-object';
import { eventIdSchema, optionalText, requiredText, timestampSchema } from './safe-string';

/** Where an analytics event happened; unknown fields are ignored. */
export const eventContextSchema = z.object({
  page: optionalText(CONTEXT_FIELDS.page),
  referrer: optionalText(CONTEXT_FIELDS.referrer),
  utm: z
    .object({
      source: optionalText(UTM_FIELDS.source),
      medium: optionalText(UTM_FIELDS.medium),
      campaign: optionalText(UTM_FIELDS.campaign),
      term: optionalText(UTM_FIELDS.term),
      content: optionalText(UTM_FIELDS.content),
    })
    .nullish(),
  screen: optionalText(CONTEXT_FIELDS.screen),
  userAgent: optionalText(CONTEXT_FIELDS.userAgent),
  locale: optionalText(CONTEXT_FIELDS.locale),
  timezone: optionalText(CONTEXT_FIELDS.timezone),
});

/** One analytics event (seed 003 vocabulary). Unknown fields are ignored. */
export const analyticsEventSchema = z.object({
  id: eventIdSchema,
  name: requiredText(ANALYTICS_FIELDS.name),
  category: optionalText(ANALYTICS_FIELDS.category),
  sessionId: requiredText(ANALYTICS_FIELDS.sessionId),
  anonymousId: optionalText(ANALYTICS_FIELDS.anonymousId),
  userId: optionalText(ANALYTICS_FIELDS.userId),
  timestamp: timestampSchema,
  properties: jsonObjectSchema.nullish().transform((value) => value ?? null),
  context: eventContextSchema.nullish().transform((value) => value ?? null),
});

/** An analytics event after validation. */
export type AnalyticsEvent = z.output<typeof analyticsEventSchema>;
