export { DashboardApp } from './DashboardApp';
export { Dashboard, DASHBOARD_REFRESH } from './Dashboard';
export { createAnalyticsClient, DashboardError, DashboardErrorCode, describeDashboardError, isDashboardError, lastDays, RANGE_DAYS } from './api/index';
export { usePolling } from './hooks/index';
export type { DashboardAppProps } from './DashboardApp';
export type { DashboardProps } from './Dashboard';
export type { AnalyticsClient, AnalyticsClientOptions, DashboardCredentials, RangeDays } from './api/index';
export type { PollingOptions, PollingState } from './hooks/index';
