export { ANSWERS, ErrorAnswerSchema, NotFoundAnswerSchema } from './answers';
export { buildOpenApiDocument, openApiPath, toJsonSchema } from './build-document';
export { describeRoute } from './describe-route';
export { collectorOpenApiDocument, OPENAPI_CACHE_CONTROL, OPENAPI_PATH, registerOpenApiRoute } from './register-openapi';
export { COLLECTOR_ROUTES } from './route-table';
export type { DocumentInfo, JsonSchema, OpenApiDocument } from './build-document';
export type { AnySchema, DocumentedMethod, HeaderDoc, RequestHeaderDoc, ResponseDoc, RouteDoc, RouteSecurity } from './describe-route';
export type { ErrorAnswer } from './answers';
