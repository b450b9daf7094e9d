import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/** How long browsers may cache a preflight answer (seconds). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * Who may call a route from a page on another origin. A route without one answers no CORS
 * headers: pages on other origins cannot read it (the read and registry APIs, Bearer-only).
 * - `ingestion`: the collector's `allowedOrigins` (or any), echoed, `POST` with `Content-Type`.
 * - `public`: any origin (`*`, no credentials), `GET` with `If-None-Match`, `ETag` readable.
 * - `conversation`: the widget app's origins (`widgetOrigins`, or any), echoed; `GET`/`POST`
 *   with `Content-Type`, the conversation secret header and `Last-Event-ID`; only `Retry-After`
 *   readable (nothing secret is exposed).
 */
export type CorsPolicy = 'ingestion' | 'public' | 'conversation';

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
 *
 * `conversation`: as `ingestion`, with the widget app's origins (`widgetOrigins`) instead of
 * the host pages'.
 */
export function registerCors(app: FastifyInstance, allowedOrigins: 'any' | readonly string[], widgetOrigins: 'any' | readonly string[] = 'any'): void {
  const allowed = allowedOrigins === 'any' ? null : new Set(allowedOrigins);
  const widgetApps = widgetOrigins === 'any' ? null : new Set(widgetOrigins);
  const isAllowed = (origin: string, policy: 'ingestion' | 'conversation'): boolean => {
    const list = policy === 'ingestion' ? allowed : widgetApps;
    return list === null || list.has(origin);
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const policy = request.routeOptions.config.cors;
    if (policy === 'public') {
      reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Expose-Headers', 'ETag');
      return;
    }
    if (policy !== 'ingestion' && policy !== 'conversation') return;
    const origin = request.headers.origin;
    // No Origin (servers, tools), or the collector's own pages (the dashboard): not cross-origin.
    if (origin === undefined || origin === `${request.protocol}://${request.host}`) return;
    reply.header('Vary', 'Origin');
    if (!isAllowed(origin, policy)) throw new CollectorError(COLLECTOR_ERROR_CODES.ORIGIN_NOT_ALLOWED, 'origin not allowed');
    reply.header('Access-Control-Allow-Origin', origin);
    // A page may read only CORS-safelisted headers unless told: clients must see Retry-After.
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
  });
}

const PREFLIGHT: Readonly<Record<CorsPolicy, { methods: string; headers: string }>> = {
  ingestion: { methods: 'POST, OPTIONS', headers: 'Content-Type' },
  public: { methods: 'GET, HEAD, OPTIONS', headers: 'If-None-Match' },
  conversation: { methods: 'GET, POST, OPTIONS', headers: `Content-Type, ${CONVERSATION_SECRET_HEADER}, Last-Event-ID` },
};

/** Answers the preflight (`OPTIONS`) of the routes at `path` under `policy`: 204, or 403 for an origin the policy does not allow. */
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
