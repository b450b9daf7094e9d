import type { FastifyInstance } from 'fastify';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
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
  app.post('/api/track/click/batch', (request) => ingestBatch('click', request.body, requestFacts(request), deps));

  app.post('/api/track/click', (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad envelope: the body must be a JSON object');
    }
    const { widgetId } = body as { widgetId?: unknown };
    return ingestBatch('click', { widgetId, events: [body] }, requestFacts(request), deps);
  });
}
