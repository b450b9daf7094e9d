import type { ExportRecord } from '../store';

/** Line end of the CSV (RFC 4180 asks for CRLF). */
export const CSV_LINE_END = '\r\n';

/**
 * First characters that make a spreadsheet read a cell as a formula (CSV injection): `=`, `+`,
 * `-`, `@`, and tab and carriage return, which some spreadsheets skip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Cells that must be quoted (RFC 4180): a comma, a double quote, a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell: `null` is empty, numbers as written, JSON objects as their JSON text. A text cell
 * starting with a formula character gets a leading `'` (the value then reads as text in a
 * spreadsheet; strip one leading `'` to get the stored text back). Numbers are never prefixed:
 * they are numbers, not formulas.
 */
export function csvCell(value: ExportRecord[string]): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (with its line end) of `cells`. */
export function csvLine(cells: readonly string[]): string {
  return cells.join(',') + CSV_LINE_END;
}

/** A record's CSV line, its cells in `columns` order. */
export function csvRecordLine(record: ExportRecord, columns: readonly string[]): string {
  return csvLine(columns.map((column) => csvCell(record[column] ?? null)));
}
