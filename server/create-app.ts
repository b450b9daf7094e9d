import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createKeyRing, requireApiKey } from './auth';
import type { CollectorConfig } from './config';
import { registerErrorHandler } from './errors';
import { createTokenBucketLimiter, registerCors, registerJsonBodyParser } from './http';
import type { TokenBucketLimiter } from './http';
import {
  registerAnalyticsEventRoutes,
  registerAnalyticsReadRoutes,
  registerDashboardRoutes,
  registerHealthRoutes,
  registerPrivacyRoutes,
  registerTrackClickRoutes,
} from './routes';
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
    // Path parameters are checked by the routes' schemas (400 naming them); the router's own
    // cap (414) only has to let a 128-character id through even when percent-encoded.
    routerOptions: { maxParamLength: 2048 },
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
  // Reads and deletions need an API key; ingestion above never does.
  const authenticate = requireApiKey(createKeyRing(config.apiKeys));
  registerAnalyticsReadRoutes(app, { store, now: config.now, authenticate });
  registerPrivacyRoutes(app, { store, authenticate });
  if (config.apiKeys.length === 0) {
    app.log.warn('no API keys configured (FRAMEWIRE_API_KEYS or FRAMEWIRE_API_KEYS_FILE): the analytics read API answers 401');
  }
  registerDashboardRoutes(app);
  registerHealthRoutes(app, { store, isStopping, storageRetryAfterSeconds: config.storageRetryAfterSeconds });
  return { app, limiter };
}
