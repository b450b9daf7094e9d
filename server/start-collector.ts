import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createRetentionScheduler, toRetentionPolicy } from './jobs/retention-scheduler';
import type { RetentionScheduler, SchedulerTimers } from './jobs/retention-scheduler';
import { normalizeConfig } from './config';
import type { CollectorConfig, CollectorOptions } from './config';
import { createCollectorApp } from './create-app';
import { openStore } from './store';
import type { RefusalCounts } from './ingest';
import type { WidgetCache } from './registry';
import type { EventStore, StoreEngine } from './store';
import { createWebhookDispatcher } from './webhooks';
import { ANALYTICS_WORKER_TIMINGS_BY_ENGINE, drainAnalytics, startAnalyticsWorker } from './jobs/analytics-worker';
import type { AnalyticsWorker, AnalyticsWorkerStatus } from './jobs/analytics-worker';
import type { WebhookDispatcher } from './webhooks';

/** A running collector. */
export interface RunningCollector {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  engine: StoreEngine;
  /** The effective configuration. */
  config: CollectorConfig;
  /** The store in use (for tests and tools; the HTTP API is the contract). */
  store: EventStore;
  /**
   * The registry's briefly cached reader this collector uses; a widget app in the same
   * process reads through it too, so a save through the API is seen there at once.
   */
  widgets: WidgetCache;
  /** Ingestion requests refused by the widget's allowed sites or the registration switch, so far. */
  refusals(): RefusalCounts;
  /** Conversation streams open on this collector now (the visitors' and the inboxes'). */
  openStreams(): number;
  /**
   * The analytics: `drain()` folds everything stored so far into sessions and rollups now (the
   * hook for tests that read analytics right after ingesting), `status()` says whether this
   * collector is the one folding. With `analyticsWorker` off, `drain()` still folds.
   */
  analytics: { drain(timeoutMs?: number): Promise<void>; status(): AnalyticsWorkerStatus };
  /** The daily retention job (`runNow()` for a manual run); `null` when `retention.schedule` is off. */
  retention: RetentionScheduler | null;
  /**
   * The webhook dispatcher (`wake()` when a delivery was written in this process); `null` when
   * the `webhooks` option is off.
   */
  webhooks: WebhookDispatcher | null;
  /**
   * Graceful stop: refuses new requests (503), ends open conversation streams and answers
   * waiting long polls, lets in-flight requests finish (up to `shutdownTimeoutMs`, then cuts
   * their connections), then closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/** Things a caller may hand in instead of letting the collector open them. */
export interface CollectorDeps {
  /** Use this store instead of opening `databaseUrl`; the collector then does not close it. */
  store?: EventStore;
  /** Timers of the retention job (tests). */
  timers?: SchedulerTimers;
}

/**
 * Starts a collector.
 *
 * 1. Options merged over the defaults and validated (bad value → `INVALID_CONFIG`).
 * 2. Store opened from `databaseUrl`, migrations run.
 * 3. HTTP server listening on `host:port` (`port: 0` picks a free one).
 * 4. The daily retention job scheduled (02:00 UTC), unless `retention.schedule` is off.
 * 5. The webhook dispatcher started, unless `webhooks` is off; a stop ends it before the
 *    store closes.
 * 6. The analytics worker started, unless `analyticsWorker` is off; a stop ends it (after its
 *    fold in progress) before the store closes.
 */
export async function startCollector(options: CollectorOptions = {}, deps: CollectorDeps = {}): Promise<RunningCollector> {
  const config = normalizeConfig(options);
  let stopping = false;
  let closing: Promise<void> | undefined;
  const ownsStore = deps.store === undefined;
  let logIdleError: (error: Error) => void = () => undefined;
  const store =
    deps.store ??
    (await openStore({
      databaseUrl: config.databaseUrl,
      pgPoolSize: config.pgPoolSize,
      pgStatementTimeoutMs: config.pgStatementTimeoutMs,
      sqliteSynchronous: config.sqliteSynchronous,
      onIdleError: (error) => logIdleError(error),
    }));
  let worker: AnalyticsWorker | null = null;
  const { app, limiter, widgets, refusals, streams } = createCollectorApp(config, store, () => stopping, {
    notify: () => worker?.notify(),
    ingesting: (delta) => worker?.ingesting(delta),
    status: () => worker?.status() ?? { leader: false },
  });
  logIdleError = (error) => app.log.warn({ err: error }, 'idle PostgreSQL connection failed');

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    if (ownsStore) await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const retention = config.retention.schedule
    ? createRetentionScheduler({
        store,
        policy: toRetentionPolicy(config.retention),
        now: config.now,
        logger: app.log,
        ...(deps.timers === undefined ? {} : { timers: deps.timers }),
      })
    : null;
  const webhooks = config.webhooks
    ? createWebhookDispatcher({
        outbox: store,
        instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        now: config.now,
        logger: app.log,
        allowPrivate: config.webhookAllowPrivate,
      })
    : null;

  if (config.analyticsWorker) worker = startAnalyticsWorker({ store, logger: app.log, timings: ANALYTICS_WORKER_TIMINGS_BY_ENGINE[store.engine] });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
        limiter.destroy();
        await stopRetention(retention, config.shutdownTimeoutMs);
        await webhooks?.stop();
        await worker?.stop();
        if (ownsStore) await store.close();
      }
    })();
    return closing;
  };

  const analytics = {
    drain: (timeoutMs?: number) => drainAnalytics(store, timeoutMs),
    status: () => worker?.status() ?? { leader: false },
  };
  return { url: `http://${host}:${port}`, port, engine: store.engine, config, store, widgets, refusals, openStreams: () => streams.size, analytics, retention, webhooks, close };
}

/**
 * Stops the retention job, waiting up to `timeoutMs` for a run in progress. Its deletes are
 * chunked, each chunk its own transaction, so a run cut by the store closing loses nothing:
 * the next run goes on where it stopped.
 */
async function stopRetention(retention: RetentionScheduler | null, timeoutMs: number): Promise<void> {
  if (retention === null) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([retention.stop(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
