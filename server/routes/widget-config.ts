import type { FastifyInstance } from 'fastify';
import { WIDGET_CONFIG_CACHE } from '../../lib/protocol/collector';
import type { WidgetConfig } from '../../lib/protocol/widget-document';
import { NOT_FOUND } from '../auth';
import { registerPreflight } from '../http';
import type { WidgetCache } from '../registry';
import { widgetParamsSchema } from './analytics-read-queries';
import { parseRequestPart } from './parse-request-part';
import { etagOf, ifNoneMatchHits } from './revision-headers';

/** What the public config route needs. */
export interface WidgetConfigDeps {
  /** The cached lookup: every widget load asks for its config. */
  widgets: Pick<WidgetCache, 'getWidget'>;
}

/** Path of the public config. */
export const WIDGET_CONFIG_PATH = '/api/widgets/:widgetId/config';

/** `Cache-Control` of a config answer (200 and 304). */
export const WIDGET_CONFIG_CACHE_CONTROL = `public, max-age=${WIDGET_CONFIG_CACHE.maxAgeSeconds}, stale-while-revalidate=${WIDGET_CONFIG_CACHE.staleWhileRevalidateSeconds}`;

/**
 * `GET /api/widgets/:widgetId/config`: the public part of a widget's document, what the
 * widget renders. No key; any origin may read it (CORS `*`, no credentials).
 *
 * 1. Bad widget id → 400; not registered → 404 `{ "error": "not found" }`; both `no-store`,
 *    so a widget registered a moment later is served at once.
 * 2. `If-None-Match` naming the current revision → 304, no body.
 * 3. Otherwise 200 `WidgetConfig` `{ widgetId, revision, content }`.
 * 200 and 304 carry `ETag: "<revision>"` and `Cache-Control: public, max-age=60,
 * stale-while-revalidate=86400`. Answers come through the in-process cache (5 s).
 */
export function registerWidgetConfigRoutes(app: FastifyInstance, deps: WidgetConfigDeps): void {
  registerPreflight(app, WIDGET_CONFIG_PATH, 'public');
  app.get(WIDGET_CONFIG_PATH, { config: { cors: 'public' } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const { widgetId } = parseRequestPart(widgetParamsSchema, request.params, 'path');
    const widget = await deps.widgets.getWidget(widgetId);
    if (widget === null) return reply.code(404).send(NOT_FOUND);
    reply.header('ETag', etagOf(widget.revision)).header('Cache-Control', WIDGET_CONFIG_CACHE_CONTROL);
    if (ifNoneMatchHits(request.headers['if-none-match'], widget.revision)) return reply.code(304).send();
    const config: WidgetConfig = { widgetId: widget.id, revision: widget.revision, content: widget.content };
    return config;
  });
}
