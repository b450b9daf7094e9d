export { anonymizeIp } from './anonymize-ip';
export { botVerdict } from './bot-verdict';
export { ingestBatch } from './ingest-batch';
export { createRefusalLog } from './refusal-log';
export { validateEvents } from './validate-events';
export { createWidgetGate } from './widget-gate';
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
export type { BotVerdictInput } from './bot-verdict';
export type { RefusalCounts, RefusalLog, RefusalLogOptions, RefusalReason } from './refusal-log';
export type { WidgetGate, WidgetGateOptions } from './widget-gate';
export type { EventFailure, IngestContext, ValidatedBatch } from './validate-events';
export type { AnalyticsEvent, BatchEnvelope, ClickEvent } from './schemas';
