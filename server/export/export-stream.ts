import { Readable } from 'node:stream';
import type { EventStore, ExportPage, ExportQuery } from '../store';
import { EXPORT_COLUMNS } from '../store/export-rows';
import { csvLine, csvRecordLine } from './csv';

/** Formats of the export. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `Content-Type` of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
});

/** The text of one page: CSV lines or one JSON object per line. */
function pageText(page: ExportPage, query: ExportQuery, format: ExportFormat): string {
  if (format === 'ndjson') return page.rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  const columns = EXPORT_COLUMNS[query.table];
  return page.rows.map((row) => csvRecordLine(row, columns)).join('');
}

async function* pagesAfter(store: Pick<EventStore, 'exportRows'>, query: ExportQuery, first: ExportPage, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine([...EXPORT_COLUMNS[query.table]]);
  let page = first;
  for (;;) {
    if (page.rows.length > 0) yield pageText(page, query, format);
    if (page.next === null) return;
    // Only pulled when the reader wants more: a slow client leaves the next page unread.
    page = await store.exportRows({ ...query, after: page.next });
  }
}

/**
 * The export of one table as a byte stream with backpressure.
 *
 * 1. The first page is read before anything is sent, so a store that fails answers 503 like
 *    any read; a failure after that ends the stream early (the connection is cut, never a
 *    complete-looking file).
 * 2. Each further page is read only when the response has drained what came before: one page
 *    (`query.limit` rows) is in memory at a time, whatever the size of the export.
 * 3. A client that goes away destroys the stream, which stops the reads.
 */
export async function openExportStream(store: Pick<EventStore, 'exportRows'>, query: ExportQuery, format: ExportFormat): Promise<Readable> {
  const first = await store.exportRows(query);
  return Readable.from(pagesAfter(store, query, first, format), { objectMode: false });
}
