import type { FastifyRequest } from 'fastify';
import { anonymizeIp } from '../ingest';
import type { RequestFacts } from '../ingest';

const MAX_HEADER_USER_AGENT = 1024;

/** The client address (raw for rate limiting, anonymized for storage), user agent and page origin of a request. */
export function requestFacts(request: FastifyRequest): RequestFacts {
  const userAgent = request.headers['user-agent'];
  const origin = request.headers.origin;
  return {
    origin: typeof origin === 'string' ? origin : null,
    ip: request.ip,
    anonymizedIp: anonymizeIp(request.ip),
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? userAgent.slice(0, MAX_HEADER_USER_AGENT) : null,
  };
}
