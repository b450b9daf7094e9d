/** The export's query parameters (`export.ts`): limits, defaults, the schema. */
import { z } from 'zod';
import { EXPORT_FORMATS } from '../export';
import { rangeQuerySchema } from './analytics-read-queries';

/** Tables the export reads. */
export const EXPORT_TABLES = ['events', 'sessions'] as const;

/** Defaults of the export. */
export const EXPORT_DEFAULTS = Object.freeze({
  /**
   * `table` when none is given.
   * @default "events"
   */
  table: 'events' as (typeof EXPORT_TABLES)[number],
  /**
   * `format` when none is given.
   * @default "csv"
   */
  format: 'csv' as (typeof EXPORT_FORMATS)[number],
  /**
   * Rows read from the store per page: what an export holds in memory at a time.
   * @default 1000
   */
  pageRows: 1000,
});

const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional(),
    )
    .transform((value) => value ?? fallback);

/** `GET /api/widgets/:widgetId/export`: `from`, `to` (as the read API), `table`, `format`. */
export const exportQuerySchema = rangeQuerySchema.extend({
  table: choice(EXPORT_TABLES, EXPORT_DEFAULTS.table).describe('The table: raw `events`, or `sessions` (one row per session, sessionized).'),
  format: choice(EXPORT_FORMATS, EXPORT_DEFAULTS.format).describe('`csv` (RFC 4180, header line) or `ndjson` (one JSON object per line).'),
});
