import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { CollectorConfig } from './config';
import { createTokenBucketLimiter, registerCors, registerErrorHandler, registerJsonBodyParser } from './http';
import type { TokenBucketLimiter } from './http';
import { registerAnalyticsEventRoutes, registerHealthRoutes, registerTrackClickRoutes } from './routes';
import type { EventStore } from './store';

/** What {@link createCollectorApp} builds. */
export interface CollectorApp {
  app: FastifyInstance;
  limiter: TokenBucketLimiter;
}

/** Builds the fastify app of the collector around a store (not listening yet). */
export function createCollectorApp(config: CollectorConfig, store: EventStore, isStopping: () => boolean): CollectorApp {
  const app = Fastify({
    logger: { level: config.logLevel },
    // Per-request lines would cost more than the ingestion itself; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: config.maxBodyBytes,
    requestTimeout: 30_000,
    return503OnClosing: true,
  });
  const limiter = createTokenBucketLimiter({
    capacity: config.rateLimit.burstEvents,
    refillPerSecond: config.rateLimit.refillEventsPerSecond,
    maxBuckets: config.rateLimit.maxBuckets,
    now: config.now,
  });
  // While stopping, close each connection once its answer is out rather than waiting for an
  // idle keep-alive connection to time out.
  app.addHook('onSend', async (_request, reply) => {
    if (isStopping()) reply.header('connection', 'close');
  });
  registerErrorHandler(app, config);
  registerJsonBodyParser(app, config.maxBodyBytes);
  registerCors(app, '/api/', config.allowedOrigins);
  const deps = { store, limiter, config };
  registerTrackClickRoutes(app, deps);
  registerAnalyticsEventRoutes(app, deps);
  registerHealthRoutes(app, { store, isStopping, storageRetryAfterSeconds: config.storageRetryAfterSeconds });
  return { app, limiter };
}
