import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { BatchAnswer } from '../../../lib/protocol/collector';
import { DEFAULT_COLLECTOR_CONFIG, describeIssue } from '../../../server/config';
import { CollectorError, COLLECTOR_ERROR_CODES, registerErrorHandler } from '../../../server/errors';
import { registerJsonBodyParser } from '../../../server/http';
import { anonymizeIp, batchEnvelopeSchema, botVerdict, validateEvents } from '../../../server/ingest';
import type { EventKind } from '../../../server/store';
import type { FloorStore } from './floor-store';

const MAX_HEADER_USER_AGENT = 1024;

/**
 * The least a correct ingestion endpoint does, on the collector's own stack (fastify with the
 * collector's options, its JSON body parser and error answers, its envelope schema and per-event
 * validation, which build the same rows): parse, check, store durably skipping known ids, answer
 * per id. No registry, rate limit, CORS or analytics: what the collector does beyond this floor
 * is what the benchmark's ratio prices.
 */
export function createFloorApp(store: FloorStore): FastifyInstance {
  const config = DEFAULT_COLLECTOR_CONFIG;
  const app = Fastify({
    logger: { level: 'warn' },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    requestTimeout: 30_000,
    return503OnClosing: true,
  });
  registerErrorHandler(app, config);
  registerJsonBodyParser(app, config.maxBodyBytes);

  const ingest = async (kind: EventKind, body: unknown, ip: string, userAgentHeader: string | undefined): Promise<BatchAnswer> => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad envelope: the body must be a JSON object');
    }
    const events = (body as { events?: unknown }).events;
    if (Array.isArray(events) && events.length > config.maxEventsPerBatch) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `too many events: ${events.length}`);
    }
    const envelope = batchEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad envelope: ${describeIssue(envelope.error)}`);
    const validated = validateEvents(kind, envelope.data.events, {
      widgetId: envelope.data.widgetId,
      batchId: envelope.data.batchId ?? null,
      receivedAt: Date.now(),
      ip: anonymizeIp(ip),
      userAgent: userAgentHeader === undefined || userAgentHeader === '' ? null : userAgentHeader.slice(0, MAX_HEADER_USER_AGENT),
      maxEventBytes: config.maxEventBytes,
      maxEventAgeMs: config.maxEventAgeMs,
      maxFutureSkewMs: config.maxFutureSkewMs,
      isBot: botVerdict({ automated: envelope.data.automated === true, keepBots: config.keepBots }),
    });
    let stored;
    try {
      stored = await store.insert(validated.rows);
    } catch (error) {
      throw new CollectorError(COLLECTOR_ERROR_CODES.STORAGE_UNAVAILABLE, `storage: ${(error as Error).message}`, { cause: error });
    }
    return { accepted: stored.inserted, duplicates: [...stored.duplicates, ...validated.repeated], failed: validated.failed };
  };

  app.post('/api/track/click/batch', (request) => ingest('click', request.body, request.ip, request.headers['user-agent']));
  app.post('/api/analytics/events/batch', (request) => ingest('analytics', request.body, request.ip, request.headers['user-agent']));
  return app;
}
