export { analyticsEventSchema, eventContextSchema } from './analytics-event';
export { clickEventSchema } from './click-event';
export { batchEnvelopeSchema } from './envelope';
export { jsonObjectSchema, PROPERTIES_LIMITS } from './json-object';
export { EVENT_ID_PATTERN, isStorableString, safeString, widgetIdSchema } from './safe-string';
export type { AnalyticsEvent } from './analytics-event';
export type { ClickEvent } from './click-event';
export type { BatchEnvelope } from './envelope';
