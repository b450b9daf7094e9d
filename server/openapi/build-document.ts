import { z } from 'zod';
import { CONVERSATION_SECRET_HEADER } from '../../lib/protocol/conversations';
import type { AnySchema, ResponseDoc, RouteDoc } from './describe-route';

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.1 document, as plain JSON. */
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };

/** What the document says about itself. */
export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), inlined (no `$defs`: a `$ref`
 * inside the document would resolve against the document's root). `input`: what a client
 * sends (before defaults and transforms); `output`: what the collector answers.
 */
export function toJsonSchema(schema: AnySchema, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline', cycles: 'throw' }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

/** `/api/widgets/:widgetId/config` → `/api/widgets/{widgetId}/config`; a trailing `*` → `{path}`. */
export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}');
}

function parametersOf(route: RouteDoc): Record<string, unknown>[] {
  const parameters: Record<string, unknown>[] = [];
  const add = (schema: RouteDoc['params'], where: 'path' | 'query') => {
    if (schema === undefined) return;
    const json = toJsonSchema(schema, 'input');
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  };
  add(route.params, 'path');
  if (route.path.endsWith('*')) parameters.push({ name: 'path', in: 'path', required: true, description: 'A file of the folder.', schema: { type: 'string' } });
  add(route.query, 'query');
  for (const header of route.headers ?? []) {
    parameters.push({ name: header.name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } });
  }
  return parameters;
}

function responseOf(response: ResponseDoc): Record<string, unknown> {
  const answer: Record<string, unknown> = { description: response.description };
  if (response.headers !== undefined) {
    answer.headers = Object.fromEntries(
      Object.entries(response.headers).map(([name, header]) => [name, { description: header.description, schema: header.schema ?? { type: 'string' } }]),
    );
  }
  const types = [response.contentType ?? 'application/json', ...(response.alsoContentTypes ?? [])];
  if (response.raw === true) answer.content = Object.fromEntries(types.map((type) => [type, { schema: { type: 'string' } }]));
  else if (response.schema !== undefined) {
    const schema = toJsonSchema(response.schema, 'output');
    answer.content = Object.fromEntries(types.map((type) => [type, { schema }]));
  }
  return answer;
}

const SECURITY: Readonly<Record<RouteDoc['security'], Record<string, string[]>[]>> = {
  none: [],
  apiKey: [{ apiKey: [] }],
  conversationSecret: [{ conversationSecret: [] }],
};

/** The OpenAPI 3.1 document of `routes`. */
export function buildOpenApiDocument(routes: readonly RouteDoc[], info: DocumentInfo): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      tags: [...route.tags],
      security: SECURITY[route.security],
      parameters: parametersOf(route),
      responses: Object.fromEntries(Object.entries(route.responses).map(([status, response]) => [status, responseOf(response as ResponseDoc)])),
    };
    if (route.body !== undefined) {
      const schema = toJsonSchema(route.body.schema, 'input');
      operation.requestBody = {
        required: route.body.required ?? true,
        ...(route.body.description === undefined ? {} : { description: route.body.description }),
        content: Object.fromEntries((route.body.contentTypes ?? ['application/json']).map((type) => [type, { schema }])),
      };
    }
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info,
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key of `FRAMEWIRE_API_KEYS`, as `Authorization: Bearer <key>`. A key reaches the widgets its grant names, of its owner.',
        },
        conversationSecret: {
          type: 'apiKey',
          in: 'header',
          name: CONVERSATION_SECRET_HEADER,
          description: 'The secret `POST /api/conversations` answered once. A wrong or missing one is a 404, as an unknown conversation.',
        },
      },
    },
  };
}
