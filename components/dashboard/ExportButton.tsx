import { useEffect, useId, useRef, useState } from 'react';
import { describeDashboardError, downloadExport, EXPORT_FORMATS, EXPORT_TABLES } from './api/index';
import type { DashboardCredentials, DayRangeQuery, ExportFormat, ExportTable } from './api/index';

/** Props of {@link ExportButton}. */
export interface ExportButtonProps {
  credentials: DashboardCredentials;
  /** The range shown: the one exported. */
  range: () => DayRangeQuery;
  /** @default location.origin */
  baseUrl?: string;
}

const TABLE_LABELS: Readonly<Record<ExportTable, string>> = { events: 'Events', sessions: 'Sessions' };
const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = { csv: 'CSV', ndjson: 'NDJSON' };

/**
 * Exports the widget's events or sessions of the range shown, as CSV or ndjson.
 *
 * 1. The download goes through `fetch` with the key in the header, never a link with the key
 *    in its URL.
 * 2. The answer becomes a Blob behind an object URL, handed to a temporary `<a download>`;
 *    the URL is revoked once the click has started the download.
 * 3. Leaving the view aborts a download under way.
 */
export function ExportButton({ credentials, range, baseUrl }: ExportButtonProps) {
  const [table, setTable] = useState<ExportTable>('events');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  const id = useId();

  useEffect(() => () => running.current?.abort(), []);

  const start = async (): Promise<void> => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setBusy(true);
    setError(null);
    try {
      const { blob, filename } = await downloadExport(
        { apiKey: credentials.apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) },
        { widgetId: credentials.widgetId, table, format, ...range(), signal: controller.signal },
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.rel = 'noopener';
      link.click();
      // The click hands the Blob to the download on its own turn: revoke after it.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (failure) {
      if (!controller.signal.aborted) setError(describeDashboardError(failure));
    } finally {
      if (running.current === controller) {
        running.current = null;
        setBusy(false);
      }
    }
  };

  return (
    <div className="fwd-export" data-testid="export">
      <label htmlFor={`${id}-table`} className="fwd-visually-hidden">
        Export table
      </label>
      <select id={`${id}-table`} className="fwd-input fwd-export__select" data-testid="export-table" value={table} onChange={(event) => setTable(event.target.value as ExportTable)}>
        {EXPORT_TABLES.map((value) => (
          <option key={value} value={value}>
            {TABLE_LABELS[value]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-format`} className="fwd-visually-hidden">
        Export format
      </label>
      <select id={`${id}-format`} className="fwd-input fwd-export__select" data-testid="export-format" value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
        {EXPORT_FORMATS.map((value) => (
          <option key={value} value={value}>
            {FORMAT_LABELS[value]}
          </option>
        ))}
      </select>
      <button type="button" className="fwd-button" data-testid="export-button" disabled={busy} onClick={() => void start()}>
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {error !== null && (
        <span role="alert" className="fwd-export__error" data-testid="export-error">
          {error}
        </span>
      )}
    </div>
  );
}
