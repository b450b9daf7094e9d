export { createAnalyticsClient, DEFAULT_ANALYTICS_CLIENT_OPTIONS } from './analytics-client';
export { clearSession, loadSession, saveSession } from './credentials';
export {
  DashboardError,
  DashboardErrorCode,
  describeDashboardError,
  isCredentialError,
  isDashboardError,
  isKeyRefused,
} from './dashboard-error';
export { lastDays, RANGE_DAYS, utcDay } from './date-range';
export { DEFAULT_EXPORT_OPTIONS, downloadExport, EXPORT_FORMATS, EXPORT_TABLES } from './export-client';
export { createApiRequester, DEFAULT_API_CLIENT_OPTIONS } from './http';
export { isEmptyOverview, loadOverview, OVERVIEW_LIMITS } from './load-overview';
export { createWidgetsClient } from './widgets-client';
export type { AnalyticsClient, AnalyticsClientOptions } from './analytics-client';
export type { DashboardCredentials, DashboardSession, WidgetChoice } from './credentials';
export type { DashboardErrorOptions } from './dashboard-error';
export type { DayRangeQuery, RangeDays } from './date-range';
export type { ExportDownload, ExportFormat, ExportRequest, ExportTable } from './export-client';
export type { ApiAnswer, ApiClientOptions, ApiRequest, ApiRequester } from './http';
export type { Overview } from './load-overview';
export type { SavedWidget, WidgetsClient, WidgetSummary } from './widgets-client';
