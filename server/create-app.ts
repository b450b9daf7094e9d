import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createKeyRing, requireApiKey } from './auth';
import type { CollectorConfig } from './config';
import { registerErrorHandler } from './errors';
import { createTokenBucketLimiter, registerCors, registerJsonBodyParser } from './http';
import type { TokenBucketLimiter } from './http';
import { createRefusalLog, createWidgetGate } from './ingest';
import type { RefusalCounts } from './ingest';
import { createWidgetCache } from './registry';
import type { WidgetCache } from './registry';
import {
  registerAnalyticsEventRoutes,
  registerAnalyticsReadRoutes,
  registerDashboardRoutes,
  registerHealthRoutes,
  registerPrivacyRoutes,
  registerTrackClickRoutes,
  registerWidgetConfigRoutes,
  registerWidgetRoutes,
} from './routes';
import type { EventStore } from './store';

/** What {@link createCollectorApp} builds. */
export interface CollectorApp {
  app: FastifyInstance;
  limiter: TokenBucketLimiter;
  /**
   * The briefly cached registry reads of this process (ingestion, the public config); a save
   * through the registry API forgets the widget here.
   */
  widgets: WidgetCache;
  /** Ingestion requests refused by the registry since the app was built (403 `origin_not_allowed`, `widget_not_registered`). */
  refusals(): RefusalCounts;
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
  const widgets = createWidgetCache(store, { now: config.now });
  const refusalLog = createRefusalLog({ warn: (fields, message) => app.log.warn(fields, message), now: config.now });
  const gate = createWidgetGate({ widgets, requireRegistration: config.requireRegistration, refusals: refusalLog });
  app.addHook('onClose', async () => widgets.destroy());
  // While stopping, close each connection once its answer is out rather than waiting for an
  // idle keep-alive connection to time out.
  app.addHook('onSend', async (_request, reply) => {
    if (isStopping()) reply.header('connection', 'close');
  });
  registerErrorHandler(app, config);
  registerJsonBodyParser(app, config.maxBodyBytes);
  // CORS per route (`config.cors`): ingestion follows `allowedOrigins`, the public config is
  // open to any origin, the key-guarded APIs answer no CORS headers.
  registerCors(app, config.allowedOrigins);
  const deps = { store, limiter, config, gate };
  registerTrackClickRoutes(app, deps);
  registerAnalyticsEventRoutes(app, deps);
  registerWidgetConfigRoutes(app, { widgets });
  // Reads, deletions and the registry need an API key; ingestion and the public config never do.
  const keyRing = createKeyRing(config.apiKeys);
  // A registered widget's analytics belong to its owner: another owner's key gets 404 even with `*`.
  const authenticate = requireApiKey(keyRing, 'widget', async (widgetId) => (await widgets.getWidget(widgetId))?.owner ?? null);
  registerAnalyticsReadRoutes(app, { store, now: config.now, authenticate });
  registerPrivacyRoutes(app, { store, authenticate });
  registerWidgetRoutes(app, { store, widgets, keyRing, now: config.now, webhookAllowPrivate: config.webhookAllowPrivate });
  if (config.apiKeys.length === 0) {
    app.log.warn('no API keys configured (FRAMEWIRE_API_KEYS or FRAMEWIRE_API_KEYS_FILE): the analytics read API and the widget registry API answer 401');
  }
  registerDashboardRoutes(app);
  registerHealthRoutes(app, { store, isStopping, storageRetryAfterSeconds: config.storageRetryAfterSeconds });
  return { app, limiter, widgets, refusals: refusalLog.counts };
}
