import type { z } from 'zod';
import { describeIssue } from '../config';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/**
 * Parses path parameters or a query string with `schema`.
 * @throws CollectorError `INVALID_REQUEST` (400) naming the parameter: `bad query: limit: must be at most 100`.
 */
export function parseRequestPart<T extends z.ZodType>(schema: T, value: unknown, part: 'path' | 'query'): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad ${part}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}
