import { COLLECTOR_LIMITS } from '../../lib/protocol/collector';
import { STREAM_HEARTBEAT_SECONDS } from '../../lib/protocol/conversations';
import type { CollectorConfig } from './types';

/** Defaults of every collector option; see {@link CollectorConfig} for what each means. */
export const DEFAULT_COLLECTOR_CONFIG: Readonly<CollectorConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 8787,
  databaseUrl: './data/framewire.db',
  // The contract's limits: the embed keeps within them, so lowering any of these makes the
  // collector refuse events the embed accepts.
  maxEventsPerBatch: COLLECTOR_LIMITS.maxEventsPerRequest,
  maxBodyBytes: COLLECTOR_LIMITS.maxRequestBytes,
  maxEventBytes: COLLECTOR_LIMITS.maxEventBytes,
  maxEventAgeMs: 24 * 60 * 60 * 1000,
  maxFutureSkewMs: 5 * 60 * 1000,
  rateLimit: Object.freeze({ burstEvents: 1000, refillEventsPerSecond: 50, maxBuckets: 100_000 }),
  allowedOrigins: 'any',
  trustProxy: false,
  storageRetryAfterSeconds: 5,
  pgPoolSize: 10,
  pgStatementTimeoutMs: 30_000,
  sqliteSynchronous: 'full',
  shutdownTimeoutMs: 10_000,
  logLevel: 'info',
  apiKeys: Object.freeze([]),
  requireRegistration: false,
  keepBots: false,
  webhooks: true,
  analyticsWorker: true,
  webhookAllowPrivate: false,
  retention: Object.freeze({ eventsDays: 90, sessionsDays: 365, eventChunk: 10_000, sessionChunk: 5000, schedule: true }),
  widgetOrigins: 'any',
  conversations: Object.freeze({ rateLimitBurst: 100, rateLimitPerSecond: 5, heartbeatMs: STREAM_HEARTBEAT_SECONDS * 1000, streamMaxAgeMs: 60 * 60 * 1000 }),
  // Read at call time so tests can fake the clock.
  now: () => Date.now(),
});
