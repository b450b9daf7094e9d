import type { FastifyInstance } from 'fastify';
import { registerPreflight } from '../http';
import { ingestBatch } from '../ingest';
import type { IngestDeps } from '../ingest';
import { requestFacts } from './request-facts';

/** `POST /api/analytics/events/batch`: `{ widgetId, batchId, events: [analytics event…] }`. */
export function registerAnalyticsEventRoutes(app: FastifyInstance, deps: IngestDeps): void {
  registerPreflight(app, '/api/analytics/events/batch', 'ingestion');
  app.post('/api/analytics/events/batch', { config: { cors: 'ingestion' } }, (request) => ingestBatch('analytics', request.body, requestFacts(request), deps));
}
