import { DashboardError, DashboardErrorCode } from './dashboard-error';
import type { DayRangeQuery } from './date-range';
import { toError } from './http';
import type { ApiClientOptions } from './http';

/** Tables of the export (`GET /api/widgets/:widgetId/export`). */
export const EXPORT_TABLES = ['events', 'sessions'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Formats of the export. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Defaults of {@link downloadExport}. */
export const DEFAULT_EXPORT_OPTIONS = Object.freeze({
  /**
   * Deadline of the whole download (ms): an export of a long range is large, so longer than a read's.
   * @default 120000
   */
  timeoutMs: 120_000,
});

/** One export to download. */
export interface ExportRequest extends DayRangeQuery {
  widgetId: string;
  table: ExportTable;
  format: ExportFormat;
  signal?: AbortSignal;
}

/** A downloaded export. */
export interface ExportDownload {
  blob: Blob;
  /** From `Content-Disposition`, else `<widget>-<table>-<from>-<to>.<format>`. */
  filename: string;
}

const FILENAME = /filename="([^"]+)"/;

/**
 * Downloads an export with `fetch`: the key in the `Authorization` header (never in a URL, so
 * never in a history, a log or a `Referer`), no cookies, no cache, under a deadline.
 * @throws DashboardError as the other clients (`UNAUTHORIZED`, `NOT_FOUND`, `BAD_REQUEST`,
 *   `UNAVAILABLE`, `NETWORK`, `TIMEOUT`); an abort rejects with the signal's reason.
 */
export async function downloadExport(options: ApiClientOptions & { timeoutMs?: number }, request: ExportRequest): Promise<ExportDownload> {
  const url = new URL(`/api/widgets/${encodeURIComponent(request.widgetId)}/export`, options.baseUrl ?? location.origin);
  for (const name of ['from', 'to', 'table', 'format'] as const) url.searchParams.set(name, request[name]);
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXPORT_OPTIONS.timeoutMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = request.signal === undefined ? deadline.signal : AbortSignal.any([request.signal, deadline.signal]);
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(url, { headers: { Authorization: `Bearer ${options.apiKey}` }, credentials: 'omit', cache: 'no-store', signal });
    if (!response.ok) throw await toError(response);
    const blob = await response.blob();
    const named = FILENAME.exec(response.headers.get('content-disposition') ?? '')?.[1];
    return { blob, filename: named ?? `${request.widgetId}-${request.table}-${request.from}-${request.to}.${request.format}` };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (deadline.signal.aborted) throw new DashboardError(DashboardErrorCode.TIMEOUT, `the export took longer than ${timeoutMs} ms`, { cause: error });
    if (error instanceof DashboardError) throw error;
    throw new DashboardError(DashboardErrorCode.NETWORK, 'no answer from the collector', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
