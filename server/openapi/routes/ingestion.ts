import { z } from 'zod';
import { BatchAnswerSchema } from '../../../lib/protocol/collector-answers';
import { analyticsEventSchema, batchEnvelopeSchema, clickEventSchema } from '../../ingest/schemas';
import { ANSWERS } from '../answers';
import { describeRoute } from '../describe-route';
import type { ResponseDoc, RouteDoc } from '../describe-route';

const answered: ResponseDoc = {
  description: 'Every event of the request in one of `accepted`, `duplicates` (stored before) or `failed` (refused for good, with the reason).',
  schema: BatchAnswerSchema,
};

const refusals = {
  200: answered,
  400: ANSWERS.badRequest('the body is not JSON, not an object, or its envelope is malformed (`bad envelope: …`)'),
  403: ANSWERS.forbiddenOrigin,
  413: ANSWERS.tooLarge,
  415: ANSWERS.unsupportedType,
  429: ANSWERS.rateLimited,
  503: ANSWERS.unavailable,
  500: ANSWERS.internal,
};

const BODY_TYPES = ['application/json', 'text/plain'] as const;
const description =
  'No key; CORS for the allowed origins (`FRAMEWIRE_ALLOWED_ORIGINS`, a registered widget’s `allowedOrigins`). Each event is checked on its own: one bad event never sinks its neighbours. Idempotent by (widgetId, event id). `text/plain` holding JSON is accepted (`sendBeacon`).';

/** The ingestion routes (`track-click.ts`, `analytics-events.ts`). */
export const INGESTION_ROUTES: readonly RouteDoc[] = [
  describeRoute({
    method: 'POST',
    path: '/api/track/click/batch',
    operationId: 'trackClickBatch',
    summary: 'Stores a batch of offer clicks',
    description,
    tags: ['ingestion'],
    security: 'none',
    body: { schema: batchEnvelopeSchema.extend({ events: z.array(clickEventSchema) }), contentTypes: BODY_TYPES },
    responses: refusals,
  }),
  describeRoute({
    method: 'POST',
    path: '/api/track/click',
    operationId: 'trackClick',
    summary: 'Stores one offer click (older embed scripts): answered like a batch of one',
    description,
    tags: ['ingestion'],
    security: 'none',
    body: { schema: clickEventSchema.extend({ widgetId: batchEnvelopeSchema.shape.widgetId }), contentTypes: BODY_TYPES },
    responses: refusals,
  }),
  describeRoute({
    method: 'POST',
    path: '/api/analytics/events/batch',
    operationId: 'analyticsEventBatch',
    summary: 'Stores a batch of analytics events',
    description,
    tags: ['ingestion'],
    security: 'none',
    body: { schema: batchEnvelopeSchema.extend({ events: z.array(analyticsEventSchema) }), contentTypes: BODY_TYPES },
    responses: refusals,
  }),
];
