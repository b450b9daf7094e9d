import { z } from 'zod';
import { safeString, widgetIdSchema } from '../ingest/schemas';
import { READ_QUERY_LIMITS } from './analytics-read-queries';

/** Path parameters of `DELETE …/users/:id`: the id is an anonymous id, user id or client session id. */
export const visitorParamsSchema = z.object({
  widgetId: widgetIdSchema,
  id: safeString(READ_QUERY_LIMITS.maxVisitorIdLength, 1).refine((value) => value.trim() !== '', 'must not be blank'),
});
