export { createAnalyticsClient, DEFAULT_ANALYTICS_CLIENT_OPTIONS } from './analytics-client';
export { clearCredentials, loadCredentials, saveCredentials } from './credentials';
export { DashboardError, DashboardErrorCode, describeDashboardError, isCredentialError, isDashboardError } from './dashboard-error';
export { lastDays, RANGE_DAYS, utcDay } from './date-range';
export { isEmptyOverview, loadOverview, OVERVIEW_LIMITS } from './load-overview';
export type { AnalyticsClient, AnalyticsClientOptions } from './analytics-client';
export type { DashboardCredentials } from './credentials';
export type { DayRangeQuery, RangeDays } from './date-range';
export type { Overview } from './load-overview';
