export { anonymizeIp } from './anonymize-ip';
export { ingestBatch } from './ingest-batch';
export { validateEvents } from './validate-events';
export {
  analyticsEventSchema,
  batchEnvelopeSchema,
  clickEventSchema,
  eventContextSchema,
  EVENT_ID_PATTERN,
  jsonObjectSchema,
  PROPERTIES_LIMITS,
} from './schemas';
export type { BatchAnswer, IngestDeps, RequestFacts } from './ingest-batch';
export type { EventFailure, IngestContext, ValidatedBatch } from './validate-events';
export type { AnalyticsEvent, BatchEnvelope, ClickEvent } from './schemas';
