import type { ApiKeyGrant } from '../auth';

/** Token bucket per widget and client address. */
export interface RateLimitConfig {
  /**
   * Bucket size in events: how many events one widget/client pair may send in a burst.
   * `0` turns rate limiting off.
   * @default 1000
   */
  burstEvents: number;
  /**
   * Events added back to each bucket per second.
   * @default 50
   */
  refillEventsPerSecond: number;
  /**
   * Buckets kept in memory before full (idle) ones are swept.
   * @default 100000
   */
  maxBuckets: number;
}

/** The retention job: how long raw events and sessions are kept (daily counters are kept for ever). */
export interface RetentionConfig {
  /**
   * Days raw events are kept (by event time).
   * @default 90
   */
  eventsDays: number;
  /**
   * Days sessions (and their visitor rows) are kept, by the session's last event.
   * @default 365
   */
  sessionsDays: number;
  /**
   * Events deleted per statement, so no transaction holds the database for long.
   * @default 10000
   */
  eventChunk: number;
  /**
   * Sessions deleted per statement.
   * @default 5000
   */
  sessionChunk: number;
  /**
   * Run the job inside the collector every day at 02:00 UTC. Turn it off on all but one
   * instance when several share a database, or when `npm run retention` runs from cron.
   * @default true
   */
  schedule: boolean;
}

/** The conversation API's visitor limits and its streams. */
export interface ConversationsConfig {
  /**
   * Token bucket per widget and client address for the visitor routes (each request costs one
   * token): how many requests one visitor's address may make in a burst. `0` turns it off.
   * @default 100
   */
  rateLimitBurst: number;
  /**
   * Tokens added back per second to each visitor bucket.
   * @default 5
   */
  rateLimitPerSecond: number;
  /**
   * Between two `: ping` lines of every open stream (one shared timer for all of them).
   * @default 15000 (`STREAM_HEARTBEAT_SECONDS`)
   */
  heartbeatMs: number;
  /**
   * A stream is ended after this long, and the client reconnects with `Last-Event-ID` (no
   * message is lost): no connection is held for ever, and a client always comes back through
   * the load balancer's current collectors.
   * @default 3600000 (1 h)
   */
  streamMaxAgeMs: number;
}

/** Everything the collector can be told. Times are in milliseconds, sizes in bytes. */
export interface CollectorConfig {
  /**
   * Interface to listen on.
   * @default "127.0.0.1"
   */
  host: string;
  /**
   * TCP port; `0` picks a free one.
   * @default 8787
   */
  port: number;
  /**
   * Where events are kept: a file path or `sqlite:` URL for SQLite, `postgres://…` for PostgreSQL.
   * @default "./data/framewire.db"
   */
  databaseUrl: string;
  /**
   * Most events one batch request may carry. Below the contract's 25 the collector refuses
   * batches the embed sends (it then splits them, at a cost).
   * @default 25
   */
  maxEventsPerBatch: number;
  /**
   * Largest request body in UTF-8 bytes; bigger ones are refused with 413 before parsing.
   * Below the contract's 64 KB the embed's full batches are split.
   * @default 65536
   */
  maxBodyBytes: number;
  /**
   * Largest single event (compact JSON, UTF-8 bytes); bigger ones fail as `too_large`. Below
   * the contract's 8 KB the collector refuses events the embed accepts.
   * @default 8192
   */
  maxEventBytes: number;
  /**
   * Oldest accepted event (by its `timestamp`); older ones fail as `too_old`.
   * @default 86400000 (24 h)
   */
  maxEventAgeMs: number;
  /**
   * How far in the future an event's `timestamp` may be (client clock skew); further fails as `in_future`.
   * @default 300000 (5 min)
   */
  maxFutureSkewMs: number;
  /** Token bucket per widget and client address. */
  rateLimit: RateLimitConfig;
  /**
   * Host page origins allowed to send events (`Origin` header), or `"any"`.
   * Requests without an `Origin` header (servers, tools) are always allowed.
   * @default "any"
   */
  allowedOrigins: 'any' | readonly string[];
  /**
   * Trust `X-Forwarded-For` from a reverse proxy to find the client address.
   * @default false
   */
  trustProxy: boolean;
  /**
   * `Retry-After` (seconds) sent with a 503 when storage fails.
   * @default 5
   */
  storageRetryAfterSeconds: number;
  /**
   * Connections in the PostgreSQL pool of one collector.
   * @default 10
   */
  pgPoolSize: number;
  /**
   * Deadline of one PostgreSQL statement (lock waits included): the server cancels it past
   * this (`statement_timeout`), and the collector gives up on a connection that stays silent
   * a little longer, so a stuck database answers 503 instead of holding requests and the
   * graceful stop. Migrations have their own, longer deadline (10 min).
   * @default 30000
   */
  pgStatementTimeoutMs: number;
  /**
   * SQLite `synchronous` pragma: `full` survives power loss, `normal` survives a process crash only.
   * @default "full"
   */
  sqliteSynchronous: 'full' | 'normal';
  /**
   * How long a graceful stop waits for in-flight requests before closing their connections.
   * @default 10000
   */
  shutdownTimeoutMs: number;
  /**
   * Log level of the collector's logger (`silent` for none).
   * @default "info"
   */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * API keys of the analytics read API, the privacy delete route and the widget registry API. With none, every such
   * request is answered 401; ingestion never needs a key.
   * @default []
   */
  apiKeys: readonly ApiKeyGrant[];
  /**
   * Refuse events of widgets that are not in the registry (403 `widget_not_registered`).
   * Off: unregistered widgets are ingested as before the registry existed.
   * @default false
   */
  requireRegistration: boolean;
  /**
   * Count events from bots and automated browsers in the analytics like any other
   * (`COLLECTOR_KEEP_BOTS`). Off, they are stored but marked, left out of sessions, visitors,
   * the daily rollups and the offers, and counted per widget and day as `bots.excluded` of the
   * summary. A bot is a request whose event (or request) user agent `isbot` recognises, or a
   * batch the embed marks `automated` (`navigator.webdriver`).
   * @default false
   */
  keepBots: boolean;
  /**
   * Run the webhook dispatcher in this collector (it posts visitor messages to widgets' bot
   * endpoints). Off only for tests and tools that must not send anything.
   * @default true
   */
  webhooks: boolean;
  /**
   * Run the analytics worker in this collector: it folds stored events into sessions and the
   * daily rollups behind ingestion (`COLLECTOR_ANALYTICS_WORKER`). On PostgreSQL one collector
   * at a time folds, whichever holds the lease. Off, this collector ingests but never folds
   * (another collector, or a later start, folds what it stored).
   * @default true
   */
  analyticsWorker: boolean;
  /**
   * Let webhooks reach loopback, private (RFC 1918, fc00::/7) and link-local addresses
   * (`FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE`). Off, such URLs are refused on save and at delivery.
   * @default false
   */
  webhookAllowPrivate: boolean;
  /** The retention job. */
  retention: RetentionConfig;
  /**
   * Origins of the widget app (where the widget's iframe is served from) that may call the
   * conversation visitor API from a browser (CORS), or `"any"`.
   * @default "any"
   */
  widgetOrigins: 'any' | readonly string[];
  /** The conversation API's visitor limits and streams. */
  conversations: ConversationsConfig;
  /**
   * The clock, in ms since the epoch; injectable for tests.
   * @default () => Date.now()
   */
  now: () => number;
}
