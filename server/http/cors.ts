import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/** How long browsers may cache a preflight answer (seconds). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * Who may call a route from a page on another origin. A route without one answers no CORS
 * headers: pages on other origins cannot read it (the read and registry APIs, Bearer-only).
 * - `ingestion`: the collector's `allowedOrigins` (or any), echoed, `POST` with `Content-Type`.
 * - `public`: any origin (`*`, no credentials), `GET` with `If-None-Match`, `ETag` readable.
 */
export type CorsPolicy = 'ingestion' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's {@link CorsPolicy}; none: no CORS headers. */
    cors?: CorsPolicy;
  }
}

/**
 * CORS per route, from the route's `config.cors`.
 *
 * `ingestion`:
 * 1. No `Origin` header (servers, tools), or the collector's own origin (the dashboard): nothing to do.
 * 2. Origin allowed (`"any"`, or listed): echo it in `Access-Control-Allow-Origin` with
 *    `Vary: Origin`; never `*`, never credentials; expose `Retry-After` to the page.
 * 3. Origin not allowed: a preflight gets 403 without CORS headers; any other request is
 *    refused with 403 before its body is read, so `text/plain` beacons from that origin,
 *    which skip the preflight, are refused too.
 *
 * `public`: `Access-Control-Allow-Origin: *` on every answer (the same bytes for every
 * origin, so shared caches need no `Vary`), `ETag` exposed for revalidation.
 */
export function registerCors(app: FastifyInstance, allowedOrigins: 'any' | readonly string[]): void {
  const allowed = allowedOrigins === 'any' ? null : new Set(allowedOrigins);
  const isAllowed = (origin: string): boolean => allowed === null || allowed.has(origin);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const policy = request.routeOptions.config.cors;
    if (policy === 'public') {
      reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Expose-Headers', 'ETag');
      return;
    }
    if (policy !== 'ingestion') return;
    const origin = request.headers.origin;
    // No Origin (servers, tools), or the collector's own pages (the dashboard): not cross-origin.
    if (origin === undefined || origin === `${request.protocol}://${request.host}`) return;
    reply.header('Vary', 'Origin');
    if (!isAllowed(origin)) throw new CollectorError(COLLECTOR_ERROR_CODES.ORIGIN_NOT_ALLOWED, 'origin not allowed');
    reply.header('Access-Control-Allow-Origin', origin);
    // A page may read only CORS-safelisted headers unless told: clients must see Retry-After.
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
  });
}

const PREFLIGHT: Readonly<Record<CorsPolicy, { methods: string; headers: string }>> = {
  ingestion: { methods: 'POST, OPTIONS', headers: 'Content-Type' },
  public: { methods: 'GET, HEAD, OPTIONS', headers: 'If-None-Match' },
};

/** Answers the preflight (`OPTIONS`) of the routes at `path` under `policy`: 204, or 403 for an ingestion origin not allowed. */
export function registerPreflight(app: FastifyInstance, path: string, policy: CorsPolicy): void {
  const { methods, headers } = PREFLIGHT[policy];
  app.options(path, { config: { cors: policy } }, async (_request, reply) => {
    reply
      .header('Access-Control-Allow-Methods', methods)
      .header('Access-Control-Allow-Headers', headers)
      .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .code(204);
    return reply.send();
  });
}
