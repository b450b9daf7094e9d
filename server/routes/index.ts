export { ANALYTICS_WIDGET_PREFIX, registerAnalyticsReadRoutes } from './analytics-read';
export { registerAnalyticsEventRoutes } from './analytics-events';
export { registerDashboardRoutes } from './dashboard';
export { registerHealthRoutes } from './health';
export { registerPrivacyRoutes } from './privacy';
export { registerTrackClickRoutes } from './track-click';
export type { AnalyticsReadDeps } from './analytics-read';
export type { HealthDeps } from './health';
export type { PrivacyDeps } from './privacy';
