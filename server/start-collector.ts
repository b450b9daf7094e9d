import { normalizeConfig } from './config';
import type { CollectorConfig, CollectorOptions } from './config';
import { createCollectorApp } from './create-app';
import { openStore } from './store';
import type { EventStore, StoreEngine } from './store';

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
   * Graceful stop: refuses new requests (503), lets in-flight ones finish (up to
   * `shutdownTimeoutMs`, then cuts their connections), then closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/** Things a caller may hand in instead of letting the collector open them. */
export interface CollectorDeps {
  /** Use this store instead of opening `databaseUrl`; the collector then does not close it. */
  store?: EventStore;
}

/**
 * Starts a collector.
 *
 * 1. Options merged over the defaults and validated (bad value → `INVALID_CONFIG`).
 * 2. Store opened from `databaseUrl`, migrations run.
 * 3. HTTP server listening on `host:port` (`port: 0` picks a free one).
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
      sqliteSynchronous: config.sqliteSynchronous,
      onIdleError: (error) => logIdleError(error),
    }));
  const { app, limiter } = createCollectorApp(config, store, () => stopping);
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

  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
        limiter.destroy();
        if (ownsStore) await store.close();
      }
    })();
    return closing;
  };

  return { url: `http://${host}:${port}`, port, engine: store.engine, config, store, close };
}
