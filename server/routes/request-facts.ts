import type { FastifyRequest } from 'fastify';
import { anonymizeIp } from '../ingest';
import type { RequestFacts } from '../ingest';

const MAX_HEADER_USER_AGENT = 1024;

/** The client address (raw for rate limiting, anonymized for storage) and user agent of a request. */
export function requestFacts(request: FastifyRequest): RequestFacts {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    anonymizedIp: anonymizeIp(request.ip),
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? userAgent.slice(0, MAX_HEADER_USER_AGENT) : null,
  };
}
