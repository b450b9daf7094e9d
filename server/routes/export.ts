import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { DAY_MS, parseIsoDay } from '../analytics/days';
import { EXPORT_CONTENT_TYPES, openExportStream } from '../export';
import type { EventStore } from '../store';
import { noStore } from './analytics-read';
import { resolveDayRange, widgetParamsSchema } from './analytics-read-queries';
import { EXPORT_DEFAULTS, exportQuerySchema } from './export-params';
import { parseRequestPart } from './parse-request-part';

/** What the export route needs. */
export interface ExportRouteDeps {
  store: Pick<EventStore, 'exportRows'>;
  /** The clock (ms): today's UTC day is the default end of a range. */
  now: () => number;
  /** The read API's guard: the key (401), its grant and the widget's owner (404). */
  authenticate: onRequestAsyncHookHandler;
  /** Rows per store page. @default 1000 ({@link EXPORT_DEFAULTS.pageRows}) */
  pageRows?: number;
}

/** Path of the export. */
export const EXPORT_PATH = '/api/widgets/:widgetId/export';

/**
 * `GET /api/widgets/:widgetId/export?from=&to=&table=events|sessions&format=csv|ndjson`: every
 * stored row of one table of the widget in a range of UTC days, as a download.
 *
 * 1. The read API's guard and rules: `Authorization: Bearer <key>` (401), a key granted the
 *    widget and its owner's (404), `from`/`to` days both included, defaulting to the last 30
 *    days, at most 731 (400 naming the parameter), `Cache-Control: no-store`.
 * 2. Events whose `ts` (client time), sessions whose `first_ts` (start) falls in
 *    `[from 00:00 UTC, to + 1 day 00:00 UTC)`, ordered by that time, then id.
 * 3. Streamed page by page from the store (see `openExportStream`): constant memory.
 * 4. `Content-Disposition: attachment; filename="<widget>-<table>-<from>-<to>.<csv|ndjson>"`.
 */
export function registerExportRoutes(app: FastifyInstance, deps: ExportRouteDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);
    scope.addHook('onRequest', deps.authenticate);

    scope.get(EXPORT_PATH, { exposeHeadRoute: false }, async (request, reply) => {
      const { widgetId } = parseRequestPart(widgetParamsSchema, request.params, 'path');
      const query = parseRequestPart(exportQuerySchema, request.query, 'query');
      const { from, to } = resolveDayRange(query, deps.now());
      // Both days are valid here: the schema checked them, or they are defaults.
      const fromMs = (parseIsoDay(from) ?? 0) * DAY_MS;
      const toMs = ((parseIsoDay(to) ?? 0) + 1) * DAY_MS;
      const limit = deps.pageRows ?? EXPORT_DEFAULTS.pageRows;
      const stream = await openExportStream(deps.store, { widgetId, table: query.table, fromMs, toMs, after: null, limit }, query.format);
      stream.on('error', (error) => request.log.error({ err: error, widgetId }, 'export: reading a page failed, the download is cut short'));
      const filename = `${widgetId}-${query.table}-${from}-${to}.${query.format}`;
      return reply
        .header('Content-Type', EXPORT_CONTENT_TYPES[query.format])
        .header('Content-Disposition', `attachment; filename="${filename}"`)
        .header('X-Content-Type-Options', 'nosniff')
        .send(stream);
    });
  });
}
