import type { FastifyInstance } from 'fastify';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { registerPreflight } from '../http';
import { ingestBatch } from '../ingest';
import type { IngestDeps } from '../ingest';
import { requestFacts } from './request-facts';

/**
 * Offer clicks.
 * - `POST /api/track/click/batch`: `{ widgetId, batchId, events: [click…] }`.
 * - `POST /api/track/click`: one click with its `widgetId` beside the event fields, kept for
 *   older embed scripts; answered like a batch of one.
 */
export function registerTrackClickRoutes(app: FastifyInstance, deps: IngestDeps): void {
  registerPreflight(app, '/api/track/click/batch', 'ingestion');
  registerPreflight(app, '/api/track/click', 'ingestion');
  app.post('/api/track/click/batch', { config: { cors: 'ingestion' } }, (request) => ingestBatch('click', request.body, requestFacts(request), deps));

  app.post('/api/track/click', { config: { cors: 'ingestion' } }, (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad envelope: the body must be a JSON object');
    }
    const { widgetId } = body as { widgetId?: unknown };
    return ingestBatch('click', { widgetId, events: [body] }, requestFacts(request), deps);
  });
}
