import type { RouteDoc } from './describe-route';
import { ANALYTICS_ROUTES } from './routes/analytics';
import { CONVERSATION_ROUTES } from './routes/conversations';
import { INGESTION_ROUTES } from './routes/ingestion';
import { OPERATIONS_ROUTES } from './routes/operations';
import { REGISTRY_ROUTES } from './routes/registry';

/**
 * Every route the collector registers, as the OpenAPI document describes it. A new route adds
 * its `describeRoute` to its group's list (or a new group here); the OpenAPI test fails for a
 * registered route that no entry describes.
 */
export const COLLECTOR_ROUTES: readonly RouteDoc[] = [...INGESTION_ROUTES, ...CONVERSATION_ROUTES, ...ANALYTICS_ROUTES, ...REGISTRY_ROUTES, ...OPERATIONS_ROUTES];
