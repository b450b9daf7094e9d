import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument } from './build-document';
import type { OpenApiDocument } from './build-document';
import type { RouteDoc } from './describe-route';
import { COLLECTOR_ROUTES } from './route-table';

/** Path of the document. */
export const OPENAPI_PATH = '/openapi.json';

/** `Cache-Control` of the document: it changes only with a new collector version. */
export const OPENAPI_CACHE_CONTROL = 'public, max-age=300';

const DESCRIPTION = [
  'The framewire collector: ingestion of offer clicks and analytics events, the public widget config, conversations, the analytics read API, the export, the widget registry, health and the dashboard.',
  'Errors answer `{ "error": "…" }`. Generated from the zod schemas the routes validate with.',
  'Left out: the HEAD twin of each GET (same headers, no body) and the CORS preflights (OPTIONS: 204, or 403 for an origin not allowed) of the ingestion, public config and visitor conversation routes.',
].join('\n\n');

/** The collector's OpenAPI 3.1 document. */
export function collectorOpenApiDocument(routes: readonly RouteDoc[] = COLLECTOR_ROUTES): OpenApiDocument {
  return buildOpenApiDocument(routes, { title: 'framewire collector', version: packageJson.version, description: DESCRIPTION });
}

/**
 * `GET /openapi.json`: the document, built once when the route is registered. No key; cacheable
 * (`Cache-Control: public, max-age=300`, a strong ETag; `If-None-Match` → 304).
 */
export function registerOpenApiRoute(app: FastifyInstance, routes: readonly RouteDoc[] = COLLECTOR_ROUTES): void {
  const body = JSON.stringify(collectorOpenApiDocument(routes));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  app.get(OPENAPI_PATH, async (request, reply) => {
    reply.header('Cache-Control', OPENAPI_CACHE_CONTROL).header('ETag', etag);
    const held = request.headers['if-none-match'];
    if (held !== undefined && held.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
