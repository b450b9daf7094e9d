import type { FastifyInstance } from 'fastify';
import { ingestBatch } from '../ingest';
import type { IngestDeps } from '../ingest';
import { requestFacts } from './request-facts';

/** `POST /api/analytics/events/batch`: `{ widgetId, batchId, events: [analytics event…] }`. */
export function registerAnalyticsEventRoutes(app: FastifyInstance, deps: IngestDeps): void {
  app.post('/api/analytics/events/batch', (request) => ingestBatch('analytics', request.body, requestFacts(request), deps));
}
