import type { FastifyError, FastifyInstance } from 'fastify';
import { isCollectorError } from './collector-error';
import type { CollectorErrorCode } from './collector-error';

const STATUS_BY_CODE: Readonly<Record<CollectorErrorCode, number>> = {
  INVALID_CONFIG: 500,
  INVALID_REQUEST: 400,
  ORIGIN_NOT_ALLOWED: 403,
  WIDGET_ORIGIN_NOT_ALLOWED: 403,
  WIDGET_NOT_REGISTERED: 403,
  RATE_LIMITED: 429,
  STORAGE_UNAVAILABLE: 503,
  STORE_CLOSED: 503,
};

/**
 * Answers every whole-request error as `{ "error": "…" }` with its status, and `Retry-After`
 * where the client should come back later.
 */
export function registerErrorHandler(app: FastifyInstance, options: { maxBodyBytes: number; storageRetryAfterSeconds: number }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isCollectorError(error)) {
      const status = STATUS_BY_CODE[error.code];
      const retryAfter = error.retryAfterSeconds ?? (status === 503 ? options.storageRetryAfterSeconds : undefined);
      if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
      if (status >= 500) request.log.error({ err: error.cause ?? error }, error.message);
      return reply.code(status).send({ error: error.message });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // A route may set its own limit (the registry's documents); ingestion keeps the collector's.
        return reply.code(413).send({ error: `body larger than ${request.routeOptions.bodyLimit ?? options.maxBodyBytes} bytes` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({ error: 'unsupported content type: send application/json or text/plain' });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send({ error: 'body is empty' });
      default:
        break;
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unexpected error');
    return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
}
