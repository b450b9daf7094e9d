import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/** How long browsers may cache a preflight answer (seconds). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * CORS for the ingestion routes under `prefix`.
 *
 * 1. No `Origin` header (servers, tools), or the collector's own origin (the dashboard): nothing to do.
 * 2. Origin allowed (`"any"`, or listed): echo it in `Access-Control-Allow-Origin` with
 *    `Vary: Origin`; never `*`, never credentials; expose `Retry-After` to the page.
 * 3. Origin not allowed: a preflight gets 403 without CORS headers; any other request is
 *    refused with 403 before its body is read, so `text/plain` beacons from that origin,
 *    which skip the preflight, are refused too.
 */
export function registerCors(app: FastifyInstance, prefix: string, allowedOrigins: 'any' | readonly string[]): void {
  const allowed = allowedOrigins === 'any' ? null : new Set(allowedOrigins);
  const isAllowed = (origin: string): boolean => allowed === null || allowed.has(origin);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith(prefix)) return;
    const origin = request.headers.origin;
    // No Origin (servers, tools), or the collector's own pages (the dashboard): not cross-origin.
    if (origin === undefined || origin === `${request.protocol}://${request.host}`) return;
    reply.header('Vary', 'Origin');
    if (!isAllowed(origin)) throw new CollectorError(COLLECTOR_ERROR_CODES.ORIGIN_NOT_ALLOWED, 'origin not allowed');
    reply.header('Access-Control-Allow-Origin', origin);
    // A page may read only CORS-safelisted headers unless told: clients must see Retry-After.
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
  });

  app.options(`${prefix}*`, async (_request, reply) => {
    reply
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type')
      .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .code(204);
    return reply.send();
  });
}
