import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createKeyRing, requireApiKey } from './auth';
import type { CollectorConfig } from './config';
import { createConversationBus, createStreamHub, relayRemoteChanges } from './conversations';
import type { ConversationBus, StreamHub } from './conversations';
import { registerErrorHandler } from './errors';
import { createTokenBucketLimiter, registerCors, registerJsonBodyParser } from './http';
import type { TokenBucketLimiter } from './http';
import { createRefusalLog, createWidgetGate } from './ingest';
import type { RefusalCounts } from './ingest';
import { registerOpenApiRoute } from './openapi';
import { createWidgetCache } from './registry';
import type { WidgetCache } from './registry';
import {
  registerAgentConversationRoutes,
  registerAnalyticsEventRoutes,
  registerConversationRoutes,
  registerAnalyticsReadRoutes,
  registerDashboardRoutes,
  registerExportRoutes,
  registerHealthRoutes,
  registerPrivacyRoutes,
  registerTrackClickRoutes,
  registerWidgetConfigRoutes,
  registerWidgetRoutes,
} from './routes';
import type { EventStore } from './store';
import type { AnalyticsWorkerStatus } from './jobs/analytics-worker';

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
  /** Conversation changes in this process (what streams and long polls listen to). */
  conversations: ConversationBus;
  /** Open conversation streams and long polls; ended before the app closes. */
  streams: StreamHub;
}

/** How the app reaches the analytics worker (see `startAnalyticsWorker`), if one runs. */
export interface AnalyticsHooks {
  /** Ingestion stored a batch. */
  notify(): void;
  /** An ingestion request began (`+1`) or ended (`-1`). */
  ingesting(delta: 1 | -1): void;
  status(): AnalyticsWorkerStatus;
}

const NO_WORKER: AnalyticsHooks = { notify: () => undefined, ingesting: () => undefined, status: () => ({ leader: false }) };

/** Builds the fastify app of the collector around a store (not listening yet). */
export function createCollectorApp(config: CollectorConfig, store: EventStore, isStopping: () => boolean, analytics: AnalyticsHooks = NO_WORKER): CollectorApp {
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
  const conversations = createConversationBus((error) => app.log.error({ err: error }, 'conversation listener failed'));
  const streams = createStreamHub({ heartbeatMs: config.conversations.heartbeatMs, maxAgeMs: config.conversations.streamMaxAgeMs, now: config.now });
  const conversationLimiter = createTokenBucketLimiter({
    capacity: config.conversations.rateLimitBurst,
    refillPerSecond: config.conversations.rateLimitPerSecond,
    maxBuckets: config.rateLimit.maxBuckets,
    now: config.now,
  });
  // Other collectors' conversation changes (PostgreSQL NOTIFY; nothing on SQLite).
  const remote = relayRemoteChanges(store, conversations, (error) => app.log.warn({ err: error }, 'conversation changes of other collectors: listening failed, retrying'));
  // Streams never end by themselves: end them (and wake long polls) before the server waits
  // for its connections to close.
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', async () => {
    conversationLimiter.destroy();
    await remote.close();
  });
  // While stopping, close each connection once its answer is out rather than waiting for an
  // idle keep-alive connection to time out.
  app.addHook('onSend', async (_request, reply) => {
    if (isStopping()) reply.header('connection', 'close');
  });
  registerErrorHandler(app, config);
  registerJsonBodyParser(app, config.maxBodyBytes);
  // CORS per route (`config.cors`): ingestion follows `allowedOrigins`, the public config is
  // open to any origin, the key-guarded APIs answer no CORS headers.
  registerCors(app, config.allowedOrigins, config.widgetOrigins);
  const deps = { store, limiter, config, gate, onStored: analytics.notify, onIngesting: analytics.ingesting };
  registerTrackClickRoutes(app, deps);
  registerAnalyticsEventRoutes(app, deps);
  registerWidgetConfigRoutes(app, { widgets });
  registerConversationRoutes(app, { store, bus: conversations, hub: streams, gate, limiter: conversationLimiter, now: config.now });
  // Reads, deletions, the registry and the agent's conversations need an API key; ingestion,
  // the public config and the visitor's conversations never do.
  const keyRing = createKeyRing(config.apiKeys);
  // A registered widget's analytics belong to its owner: another owner's key gets 404 even with `*`.
  const authenticate = requireApiKey(keyRing, 'widget', async (widgetId) => (await widgets.getWidget(widgetId))?.owner ?? null);
  registerAnalyticsReadRoutes(app, { store, now: config.now, authenticate });
  registerPrivacyRoutes(app, { store, authenticate });
  registerExportRoutes(app, { store, now: config.now, authenticate });
  registerWidgetRoutes(app, { store, widgets, keyRing, now: config.now, webhookAllowPrivate: config.webhookAllowPrivate });
  registerAgentConversationRoutes(app, { store, bus: conversations, hub: streams, authenticate, now: config.now });
  if (config.apiKeys.length === 0) {
    app.log.warn('no API keys configured (FRAMEWIRE_API_KEYS or FRAMEWIRE_API_KEYS_FILE): the analytics read API and the widget registry API answer 401');
  }
  registerDashboardRoutes(app);
  registerOpenApiRoute(app);
  registerHealthRoutes(app, { store, isStopping, storageRetryAfterSeconds: config.storageRetryAfterSeconds, analytics: analytics.status });
  return { app, limiter, widgets, refusals: refusalLog.counts, conversations, streams };
}
