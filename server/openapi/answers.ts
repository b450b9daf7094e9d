/** Answers many routes share: the error body and the statuses of the guards and the error handler. */
import { z } from 'zod';
import type { HeaderDoc, ResponseDoc } from './describe-route';

/** Every error of the collector: `{ "error": "…" }` (see `registerErrorHandler`). */
export const ErrorAnswerSchema = z.strictObject({ error: z.string() });
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;

/** The 404 of a guarded route or an unknown path: the same body, so nothing can be probed. */
export const NotFoundAnswerSchema = z.strictObject({ error: z.literal('not found') });

const retryAfter: HeaderDoc = { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^\\d+$' } };

const error = (description: string, headers?: Record<string, HeaderDoc>): ResponseDoc => ({
  description,
  schema: ErrorAnswerSchema,
  ...(headers === undefined ? {} : { headers }),
});

/** Reusable statuses. */
export const ANSWERS = Object.freeze({
  badRequest: (what: string): ResponseDoc => error(`Bad request: ${what}. The \`error\` names the part and the parameter (\`bad query: limit: must be at most 100\`).`),
  unauthorized: error('No API key, not `Bearer <key>`, or an unknown key.', {
    'WWW-Authenticate': { description: '`Bearer realm="framewire"`, with `error="invalid_token"` for a malformed or unknown key.' },
  }),
  notFound: (what: string): ResponseDoc => ({ description: `Not found: ${what}. Always \`{ "error": "not found" }\`.`, schema: NotFoundAnswerSchema }),
  forbiddenOrigin: error('The `Origin` is not allowed (CORS), or, for ingestion, the widget refuses this page origin (`origin_not_allowed`) or is not registered while registration is required (`widget_not_registered`).'),
  tooLarge: error('The body is larger than the route allows.'),
  unsupportedType: error('The body is not `application/json` (or `text/plain` holding JSON).'),
  rateLimited: error('The token bucket of this widget and client address is empty.', { 'Retry-After': retryAfter }),
  unavailable: error('The store cannot be reached, or the collector is stopping.', { 'Retry-After': retryAfter }),
  internal: error('An unexpected error (logged).'),
});
