import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ApiKeyPrincipal, KeyRing } from './key-ring';

/** `WWW-Authenticate` of a 401 (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="framewire"';

// RFC 7235: the scheme is case-insensitive; RFC 6750 b64token for the credentials.
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The body of a 404, the same as an unknown path's, so a key cannot probe other owners' widgets. */
export const NOT_FOUND = Object.freeze({ error: 'not found' } as const);

/** What a guarded route may reach: one `:widgetId`, or only the key's owner (routes without an id). */
export type ApiKeyScope = 'widget' | 'owner';

/** The principal of each request that passed the guard; gone with the request. */
const principals = new WeakMap<FastifyRequest, ApiKeyPrincipal>();

/**
 * The holder of the key a guarded request presented.
 * @throws Error when the route has no {@link requireApiKey} guard (a wiring mistake).
 */
export function principalOf(request: FastifyRequest): ApiKeyPrincipal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('principalOf: the route is not guarded by requireApiKey');
  return principal;
}

function refuse(reply: FastifyReply, challenge: string, error: string): FastifyReply {
  return reply.code(401).header('WWW-Authenticate', challenge).send({ error });
}

/**
 * An `onRequest` hook guarding the API-key routes.
 *
 * 1. No `Authorization` header → 401 with `WWW-Authenticate: Bearer realm="framewire"`.
 * 2. Not `Bearer <token>`, or a token no key matches → 401 with `error="invalid_token"`.
 * 3. Scope `widget` (the default; routes with a `:widgetId`): a known key that may not reach
 *    the widget → 404 `{ "error": "not found" }`, the body of any unknown path: whether the
 *    widget exists under another owner stays hidden. Scope `owner`: no widget to check; the
 *    route narrows to the key's owner and grants itself.
 *    With `ownerOf`, a widget registered under another owner → the same 404, even for a key
 *    granted `*`: a grant reaches the widgets of its own owner, and unregistered ones.
 * 4. Otherwise the request goes on, its principal readable with {@link principalOf}; runs
 *    before the body is read.
 */
export function requireApiKey(
  keyRing: KeyRing,
  scope: ApiKeyScope = 'widget',
  ownerOf?: (widgetId: string) => Promise<string | null>,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      return refuse(reply, BEARER_CHALLENGE, 'missing API key: send Authorization: Bearer <key>');
    }
    const token = BEARER.exec(header)?.[1];
    const invalid = `${BEARER_CHALLENGE}, error="invalid_token"`;
    if (token === undefined) return refuse(reply, invalid, 'malformed Authorization header: expected Bearer <key>');
    const principal = keyRing.authenticate(token);
    if (principal === null) {
      request.log.debug('API key: unknown key');
      return refuse(reply, invalid, 'unknown API key');
    }
    if (scope === 'widget') {
      const { widgetId } = request.params as { widgetId?: unknown };
      if (
        typeof widgetId !== 'string' ||
        !principal.canAccess(widgetId) ||
        ((await ownerOf?.(widgetId)) ?? principal.owner) !== principal.owner
      ) {
        request.log.debug({ owner: principal.owner }, 'API key: widget not granted to this key');
        return reply.code(404).send(NOT_FOUND);
      }
    }
    principals.set(request, principal);
    return undefined;
  };
}
