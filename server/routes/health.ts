import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../store';
import type { AnalyticsWorkerStatus } from '../jobs/analytics-worker';
import type { LivenessAnswer, ReadinessAnswer, UnreadyAnswer } from './health-answers';

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
  app.get('/healthz', async (): Promise<LivenessAnswer> => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const unavailable = (reason: UnreadyAnswer['reason']) => {
      const answer: UnreadyAnswer = { status: 'unavailable', reason };
      return reply.code(503).header('Retry-After', String(deps.storageRetryAfterSeconds)).send(answer);
    };
    if (deps.isStopping()) return unavailable('stopping');
    let backlog: number;
    try {
      backlog = await deps.store.analyticsBacklog();
    } catch {
      return unavailable('storage unreachable');
    }
    const answer: ReadinessAnswer = { status: 'ready', engine: deps.store.engine, analytics: { leader: deps.analytics().leader, backlog } };
    return answer;
  });
}
