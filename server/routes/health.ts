import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../store';
import type { AnalyticsWorkerStatus } from '../jobs/analytics-worker';

/** What the health routes look at. */
export interface HealthDeps {
  store: EventStore;
  /** True once a graceful stop has begun. */
  isStopping: () => boolean;
  storageRetryAfterSeconds: number;
  /** Whether this collector's analytics worker holds the lease. */
  analytics: () => AnalyticsWorkerStatus;
}

/**
 * - `GET /healthz`: the process answers (liveness).
 * - `GET /readyz`: the store answers and the collector is not stopping (readiness); else 503.
 *   The answer also says whether this collector folds the analytics (`leader`) and how many
 *   stored batches wait to be folded (`backlog`, the analytics' lag in batches).
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const unavailable = (reason: string) =>
      reply.code(503).header('Retry-After', String(deps.storageRetryAfterSeconds)).send({ status: 'unavailable', reason });
    if (deps.isStopping()) return unavailable('stopping');
    let backlog: number;
    try {
      backlog = await deps.store.analyticsBacklog();
    } catch {
      return unavailable('storage unreachable');
    }
    return { status: 'ready', engine: deps.store.engine, analytics: { leader: deps.analytics().leader, backlog } };
  });
}
