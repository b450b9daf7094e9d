import type { z } from 'zod';
import type * as zm from 'zod/mini';

/** Any zod schema, classic or mini (both convert with `z.toJSONSchema`). */
export type AnySchema = z.ZodType | zm.ZodMiniType;

/** Methods the document describes: HEAD twins of GET routes and CORS preflights (OPTIONS) are left out. */
export type DocumentedMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** How a route is authorised. */
export type RouteSecurity = 'none' | 'apiKey' | 'conversationSecret';

/** A response header. */
export interface HeaderDoc {
  description: string;
  /** @default string */
  schema?: Record<string, unknown>;
}

/** One status of a route. */
export interface ResponseDoc {
  description: string;
  /** The body's schema; none for an answer without a body (204, 304, 301). */
  schema?: AnySchema;
  /**
   * The body's media type. A body described by a JSON schema other than JSON (an ndjson line)
   * is still given as `schema`; `raw` bodies (CSV, HTML, a stream) as `{ type: "string" }`.
   * @default "application/json"
   */
  contentType?: string;
  /** More media types with the same schema (a route that answers several formats). */
  alsoContentTypes?: string[];
  /** A body that is not JSON: described as text. */
  raw?: boolean;
  headers?: Record<string, HeaderDoc>;
}

/** A request header the route reads. */
export interface RequestHeaderDoc {
  name: string;
  description: string;
  required?: boolean;
}

/** Everything the OpenAPI document says about one route; written next to nothing else, read by `buildOpenApiDocument`. */
export interface RouteDoc {
  method: DocumentedMethod;
  /** The path as fastify registers it (`:widgetId`, a trailing `*`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  security: RouteSecurity;
  /** Path parameters: the very schema the route parses them with. */
  params?: z.ZodObject | zm.ZodMiniObject;
  /** Query parameters: the very schema the route parses them with. */
  query?: z.ZodObject | zm.ZodMiniObject;
  headers?: readonly RequestHeaderDoc[];
  body?: { schema: AnySchema; description?: string; required?: boolean; contentTypes?: readonly string[] };
  responses: Readonly<Partial<Record<number, ResponseDoc>>>;
}

/** Types a route's description (a typed identity): each route group's docs are a list of these. */
export function describeRoute(doc: RouteDoc): RouteDoc {
  return doc;
}
