import type { FastifyInstance } from 'fastify';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/**
 * Replaces fastify's body parsers with one JSON parser for `application/json` and `text/plain`
 * (what `navigator.sendBeacon` sends, which needs no CORS preflight). Bodies over `maxBodyBytes`
 * are refused with 413 by fastify before they are parsed (from `Content-Length` when present,
 * else as soon as the stream passes the limit); other content types get 415.
 */
export function registerJsonBodyParser(app: FastifyInstance, maxBodyBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: maxBodyBytes }, (_request, body, done) => {
    try {
      // Plain JSON.parse: `__proto__` keys become ordinary own properties, never prototypes;
      // the schemas then drop or refuse them.
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'body is not valid JSON'), undefined);
    }
  });
}
