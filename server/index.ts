export { READ_QUERY_LIMITS, resolveDayRange, utcDay } from './routes/analytics-read-queries';
export { createRetentionScheduler, nextRetentionRunAt, RETENTION_HOUR_UTC, toRetentionPolicy } from './jobs/retention-scheduler';
export { createKeyRing, MIN_API_KEY_LENGTH, parseApiKeyJson, parseApiKeyList } from './auth';
export { COLLECTOR_ENV_VARS, DEFAULT_COLLECTOR_CONFIG, loadConfig, normalizeConfig } from './config';
export { createCollectorApp } from './create-app';
export { COLLECTOR_ERROR_CODES, CollectorError, isCollectorError } from './errors';
export { anonymizeIp, PROPERTIES_LIMITS } from './ingest';
export { ANALYTICS_FIELDS, CLICK_FIELDS, COLLECTOR_LIMITS, CONTEXT_FIELDS, UTM_FIELDS } from '../lib/protocol/collector';
export { startCollector } from './start-collector';
export { DEFAULT_EVENT_QUERY_LIMIT, openPostgresStore, openSqliteStore, openStore, parseDatabaseUrl } from './store';
export type { RetentionLogger, RetentionScheduler, RetentionSchedulerOptions, SchedulerTimers } from './jobs/retention-scheduler';
export type {
  ActiveSessions,
  AnalyticsSummary,
  AnalyticsTrends,
  DailyCounters,
  DailyTrend,
  DeviceBreakdown,
  DimensionCount,
  SessionPage,
  SessionSummary,
  TopEvents,
  TrafficSources,
  VisitorDeletion,
} from '../lib/protocol/analytics-api';
export type { AnalyticsReader, DayRange, RetentionPolicy, RetentionProgress, RetentionResult, SessionQuery } from './analytics/types';
export type { ApiKeyGrant, ApiKeyPrincipal, KeyRing } from './auth';
export type { CollectorConfig, CollectorOptions, RateLimitConfig, RetentionConfig } from './config';
export type { CollectorApp } from './create-app';
export type { CollectorErrorCode } from './errors';
export type { BatchAnswer, EventFailure } from './ingest';
export type { CollectorDeps, RunningCollector } from './start-collector';
export type { EventKind, EventQuery, EventRow, EventStore, InsertResult, JsonObject, StoreEngine } from './store';
