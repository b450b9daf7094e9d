export { CSV_LINE_END, csvCell, csvLine, csvRecordLine } from './csv';
export { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, openExportStream } from './export-stream';
export type { ExportFormat } from './export-stream';
