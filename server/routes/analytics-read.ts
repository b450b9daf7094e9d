import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { AnalyticsReader } from '../analytics/types';
import { activeQuerySchema, rangeQuerySchema, resolveDayRange, sessionsQuerySchema, topQuerySchema, widgetParamsSchema } from './analytics-read-queries';
import { parseRequestPart } from './parse-request-part';

/** What the read routes need. */
export interface AnalyticsReadDeps {
  store: AnalyticsReader;
  /** The clock (ms): today's UTC day is the default end of a range. */
  now: () => number;
  /** Authenticates the key and checks it may reach `:widgetId` (401/404). */
  authenticate: onRequestAsyncHookHandler;
}

/** The delivery health route: the host queues' and widgets' reports (answer: `deliveryHealthAnswerSchema`). */
export const DELIVERY_HEALTH_PATH = '/api/widgets/:widgetId/analytics/delivery';

/** Prefix of every analytics route that carries a widget id. */
export const ANALYTICS_WIDGET_PREFIX = '/api/analytics/widget/:widgetId';

/**
 * Sets `Cache-Control: no-store` on every answer of a guarded route, errors included:
 * analytics are per-owner and must not sit in a shared cache.
 */
export const noStore: onRequestAsyncHookHandler = async (_request, reply) => {
  reply.header('Cache-Control', 'no-store');
};

function widgetOf(request: FastifyRequest): string {
  return parseRequestPart(widgetParamsSchema, request.params, 'path').widgetId;
}

/**
 * The analytics read API, `GET /api/analytics/widget/:widgetId/…`:
 * `summary`, `trends`, `events`, `active`, `sessions`, `traffic-sources`, `devices`, `offers`.
 *
 * 1. Every request needs `Authorization: Bearer <key>` (401), for a key granted the widget (404).
 * 2. Path and query are parsed by the schemas of `analytics-read-queries.ts` (400 naming the
 *    parameter); `from`/`to` default to the last 30 UTC days up to today.
 * 3. The store answers from its sessions and daily rollups; the JSON shapes are those of
 *    `lib/protocol/analytics-api.ts`.
 *
 * Also `GET /api/widgets/:widgetId/analytics/delivery` (`from`, `to`): delivery health, the
 * same guard, answered as `deliveryHealthAnswerSchema` (`lib/protocol/delivery-health-schema.ts`).
 */
export function registerAnalyticsReadRoutes(app: FastifyInstance, deps: AnalyticsReadDeps): void {
  const { store } = deps;
  const rangeOf = (request: FastifyRequest) => {
    const widgetId = widgetOf(request);
    return { widgetId, ...resolveDayRange(parseRequestPart(rangeQuerySchema, request.query, 'query'), deps.now()) };
  };
  const topOf = (request: FastifyRequest) => {
    const widgetId = widgetOf(request);
    const query = parseRequestPart(topQuerySchema, request.query, 'query');
    return { widgetId, ...resolveDayRange(query, deps.now()), limit: query.limit };
  };

  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);
    scope.addHook('onRequest', deps.authenticate);

    scope.get(`${ANALYTICS_WIDGET_PREFIX}/summary`, (request) => store.summary(rangeOf(request)));
    scope.get(`${ANALYTICS_WIDGET_PREFIX}/trends`, (request) => store.trends(rangeOf(request)));
    scope.get(`${ANALYTICS_WIDGET_PREFIX}/events`, (request) => store.topEvents(topOf(request)));
    scope.get(`${ANALYTICS_WIDGET_PREFIX}/traffic-sources`, (request) => store.trafficSources(topOf(request)));
    scope.get(`${ANALYTICS_WIDGET_PREFIX}/devices`, (request) => store.devices(topOf(request)));
    scope.get(`${ANALYTICS_WIDGET_PREFIX}/offers`, (request) => store.offers(rangeOf(request)));
    scope.get(DELIVERY_HEALTH_PATH, (request) => store.deliveryHealth(rangeOf(request)));

    scope.get(`${ANALYTICS_WIDGET_PREFIX}/sessions`, (request) => {
      const widgetId = widgetOf(request);
      const query = parseRequestPart(sessionsQuerySchema, request.query, 'query');
      return store.listSessions({ widgetId, ...resolveDayRange(query, deps.now()), limit: query.limit, cursor: query.cursor });
    });

    scope.get(`${ANALYTICS_WIDGET_PREFIX}/active`, (request) => {
      const widgetId = widgetOf(request);
      const { minutes } = parseRequestPart(activeQuerySchema, request.query, 'query');
      return store.activeSessions({ widgetId, now: deps.now(), windowMs: minutes * 60_000 });
    });
  });
}
