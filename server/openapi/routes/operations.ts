import { z } from 'zod';
import { WidgetConfigSchema } from '../../../lib/protocol/widget-document';
import { widgetParamsSchema } from '../../routes/analytics-read-queries';
import { LivenessAnswerSchema, ReadinessAnswerSchema, UnreadyAnswerSchema } from '../../routes/health-answers';
import { ANSWERS } from '../answers';
import { describeRoute } from '../describe-route';
import type { RouteDoc } from '../describe-route';

const etag = { description: 'The revision, `"<revision>"`: send it back as `If-None-Match`.' };
const cacheControl = (value: string) => ({ description: value });

/** The public config, health, the dashboard and this document (`widget-config.ts`, `health.ts`, `dashboard.ts`, `server/openapi`). */
export const OPERATIONS_ROUTES: readonly RouteDoc[] = [
  describeRoute({
    method: 'GET',
    path: '/api/widgets/:widgetId/config',
    operationId: 'getWidgetConfig',
    summary: 'The public part of a widget’s document: what the widget renders',
    description: 'No key; any origin may read it (CORS `*`, no credentials). Answers come through a 5 s in-process cache.',
    tags: ['widgets'],
    security: 'none',
    params: widgetParamsSchema,
    headers: [{ name: 'If-None-Match', description: 'The ETag of the config held: 304 while it is current.' }],
    responses: {
      200: {
        description: 'The config.',
        schema: WidgetConfigSchema,
        headers: { ETag: etag, 'Cache-Control': cacheControl('`public, max-age=60, stale-while-revalidate=86400`') },
      },
      304: { description: 'The config held (`If-None-Match`) is current.', headers: { ETag: etag } },
      400: ANSWERS.badRequest('the widget id'),
      403: ANSWERS.forbiddenOrigin,
      404: ANSWERS.notFound('the widget is not registered'),
      503: ANSWERS.unavailable,
      500: ANSWERS.internal,
    },
  }),
  describeRoute({
    method: 'GET',
    path: '/healthz',
    operationId: 'liveness',
    summary: 'The process answers (liveness)',
    tags: ['operations'],
    security: 'none',
    responses: { 200: { description: 'Alive.', schema: LivenessAnswerSchema } },
  }),
  describeRoute({
    method: 'GET',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'The store answers and the collector is not stopping (readiness)',
    tags: ['operations'],
    security: 'none',
    responses: {
      200: { description: 'Ready, with the analytics’ lag in batches.', schema: ReadinessAnswerSchema },
      503: { description: 'Stopping, or the store cannot be reached.', schema: UnreadyAnswerSchema, headers: { 'Retry-After': { description: 'Seconds.' } } },
    },
  }),
  describeRoute({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document (OpenAPI 3.1)',
    tags: ['operations'],
    security: 'none',
    headers: [{ name: 'If-None-Match', description: 'The ETag of the document held: 304 while it is current.' }],
    responses: {
      200: {
        description: 'The document.',
        schema: z.looseObject({ openapi: z.literal('3.1.0') }),
        headers: { ETag: { description: 'A hash of the document.' }, 'Cache-Control': cacheControl('`public, max-age=300`') },
      },
      304: { description: 'The document held is current.' },
    },
  }),
  describeRoute({
    method: 'GET',
    path: '/dashboard',
    operationId: 'dashboardRedirect',
    summary: 'Redirects to `/dashboard/`',
    tags: ['dashboard'],
    security: 'none',
    responses: { 301: { description: 'To `/dashboard/`.', headers: { Location: { description: '`/dashboard/`' } } } },
  }),
  describeRoute({
    method: 'GET',
    path: '/dashboard/*',
    operationId: 'dashboardFile',
    summary: 'The analytics dashboard (a static build): `/dashboard/` is its page',
    tags: ['dashboard'],
    security: 'none',
    headers: [{ name: 'If-None-Match', description: 'The ETag of the file held.' }],
    responses: {
      200: { description: 'The file (HTML with a strict Content-Security-Policy).', raw: true, contentType: 'text/html', alsoContentTypes: ['text/javascript', 'text/css'] },
      304: { description: 'The file held is current.' },
      404: { description: 'No such file.', raw: true, contentType: 'text/plain' },
      503: { description: 'The dashboard is not built.', raw: true, contentType: 'text/plain' },
    },
  }),
];
