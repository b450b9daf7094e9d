export { registerAnalyticsEventRoutes } from './analytics-events';
export { registerHealthRoutes } from './health';
export { registerTrackClickRoutes } from './track-click';
export type { HealthDeps } from './health';
