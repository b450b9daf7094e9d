import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../store';

/** What the health routes look at. */
export interface HealthDeps {
  store: EventStore;
  /** True once a graceful stop has begun. */
  isStopping: () => boolean;
  storageRetryAfterSeconds: number;
}

/**
 * - `GET /healthz`: the process answers (liveness).
 * - `GET /readyz`: the store answers and the collector is not stopping (readiness); else 503.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const unavailable = (reason: string) =>
      reply.code(503).header('Retry-After', String(deps.storageRetryAfterSeconds)).send({ status: 'unavailable', reason });
    if (deps.isStopping()) return unavailable('stopping');
    try {
      await deps.store.ping();
    } catch {
      return unavailable('storage unreachable');
    }
    return { status: 'ready', engine: deps.store.engine };
  });
}
