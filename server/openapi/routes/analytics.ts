import type { z } from 'zod';
import {
  ActiveSessionsSchema,
  AnalyticsSummarySchema,
  AnalyticsTrendsSchema,
  DeviceBreakdownSchema,
  OffersReportSchema,
  SessionPageSchema,
  TopEventsSchema,
  TrafficSourcesSchema,
  VisitorDeletionSchema,
} from '../../../lib/protocol/analytics-api';
import { activeQuerySchema, rangeQuerySchema, sessionsQuerySchema, topQuerySchema, widgetParamsSchema } from '../../routes/analytics-read-queries';
import { DELIVERY_HEALTH_PATH } from '../../routes/analytics-read';
import { exportQuerySchema } from '../../routes/export-params';
import { deliveryHealthAnswerSchema } from '../../../lib/protocol/delivery-health-schema';
import { visitorParamsSchema } from '../../routes/privacy-params';
import { ANSWERS } from '../answers';
import { describeRoute } from '../describe-route';
import type { AnySchema, RouteDoc } from '../describe-route';

const PREFIX = '/api/analytics/widget/:widgetId';

const guarded = {
  400: ANSWERS.badRequest('a path or query parameter'),
  401: ANSWERS.unauthorized,
  404: ANSWERS.notFound('the key may not reach the widget (or it is another owner’s)'),
  503: ANSWERS.unavailable,
  500: ANSWERS.internal,
};

const read = (name: string, operationId: string, summary: string, query: z.ZodObject, schema: AnySchema): RouteDoc =>
  describeRoute({
    method: 'GET',
    path: `${PREFIX}/${name}`,
    operationId,
    summary,
    description: 'Days are UTC; `from` and `to` both included; by default the last 30 days up to today; at most 731 days. `Cache-Control: no-store`.',
    tags: ['analytics'],
    security: 'apiKey',
    params: widgetParamsSchema,
    query,
    responses: { 200: { description: summary, schema }, ...guarded },
  });

/** The analytics read API, the erasure and the export (`analytics-read.ts`, `privacy.ts`, `export.ts`). */
export const ANALYTICS_ROUTES: readonly RouteDoc[] = [
  read('summary', 'analyticsSummary', 'Counters and rates over the range', rangeQuerySchema, AnalyticsSummarySchema),
  read('trends', 'analyticsTrends', 'Every day of the range, oldest first', rangeQuerySchema, AnalyticsTrendsSchema),
  read('events', 'analyticsTopEvents', 'Event names by count, most frequent first', topQuerySchema, TopEventsSchema),
  read('traffic-sources', 'analyticsTrafficSources', 'Sessions by referrer, landing page and UTM', topQuerySchema, TrafficSourcesSchema),
  read('devices', 'analyticsDevices', 'Sessions by device type, browser, OS and screen', topQuerySchema, DeviceBreakdownSchema),
  read('offers', 'analyticsOffers', 'Offers shown and clicked, per offer and button variant', rangeQuerySchema, OffersReportSchema),
  read('sessions', 'analyticsSessions', 'Sessions of the range, newest first, a page at a time', sessionsQuerySchema, SessionPageSchema),
  describeRoute({
    method: 'GET',
    path: `${PREFIX}/active`,
    operationId: 'analyticsActive',
    summary: 'Sessions with an event in the last `minutes`',
    tags: ['analytics'],
    security: 'apiKey',
    params: widgetParamsSchema,
    query: activeQuerySchema,
    responses: { 200: { description: 'The active sessions.', schema: ActiveSessionsSchema }, ...guarded },
  }),
  describeRoute({
    method: 'GET',
    path: DELIVERY_HEALTH_PATH,
    operationId: 'analyticsDeliveryHealth',
    summary: 'What the pages and widgets reported about their delivery, per day and over the range',
    description:
      'Folded from the `$delivery` and `$bridge` reports (docs/WIDGET_ANALYTICS.md): events dropped by bound, refused by reason, retries, the oldest wait, bridge disconnects and round trips. Days as the read API. `Cache-Control: no-store`.',
    tags: ['analytics'],
    security: 'apiKey',
    params: widgetParamsSchema,
    query: rangeQuerySchema,
    responses: { 200: { description: 'The delivery health of the range.', schema: deliveryHealthAnswerSchema }, ...guarded },
  }),
  describeRoute({
    method: 'DELETE',
    path: `${PREFIX}/users/:id`,
    operationId: 'deleteVisitor',
    summary: 'Erases every event, session and conversation of an anonymous id, user id or client session id',
    description: 'Zeros when nothing matched, so it can be repeated. Daily rollups (which hold no id) are kept.',
    tags: ['privacy'],
    security: 'apiKey',
    params: visitorParamsSchema,
    responses: { 200: { description: 'What was deleted.', schema: VisitorDeletionSchema }, ...guarded },
  }),
  describeRoute({
    method: 'GET',
    path: '/api/widgets/:widgetId/export',
    operationId: 'exportRows',
    summary: 'Every stored row of one table of the widget in a range of days, as a CSV or ndjson download',
    description:
      'Events whose `ts`, sessions whose `first_ts` is in `[from 00:00 UTC, to + 1 day 00:00 UTC)`; events ordered by id, sessions by `first_ts` then id; `from`/`to` as the read API. Streamed a page at a time. CSV: RFC 4180, a header line, CRLF; a text cell starting with `= + - @`, tab or CR gets a leading `\'`. ndjson: one object per line, the columns as keys.',
    tags: ['analytics'],
    security: 'apiKey',
    params: widgetParamsSchema,
    query: exportQuerySchema,
    responses: {
      200: {
        description: 'The rows: `text/csv` or, for `format=ndjson`, `application/x-ndjson` (each line an object of the table’s columns).',
        raw: true,
        contentType: 'text/csv',
        alsoContentTypes: ['application/x-ndjson'],
        headers: { 'Content-Disposition': { description: '`attachment; filename="<widget>-<table>-<from>-<to>.<csv|ndjson>"`' } },
      },
      ...guarded,
    },
  }),
];
