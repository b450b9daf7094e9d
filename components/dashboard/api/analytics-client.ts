import type {
  ActiveSessions,
  AnalyticsSummary,
  AnalyticsTrends,
  DeviceBreakdown,
  OffersReport,
  TopEvents,
  TrafficSources,
} from '../../../lib/protocol/analytics-api';
import type { DashboardCredentials } from './credentials';
import type { DayRangeQuery } from './date-range';
import { createApiRequester, DEFAULT_API_CLIENT_OPTIONS } from './http';
import type { ApiClientOptions } from './http';

/** Options of {@link createAnalyticsClient}: the key's options and the widget read. */
export interface AnalyticsClientOptions extends ApiClientOptions, DashboardCredentials {}

/** Defaults of {@link AnalyticsClientOptions}. */
export const DEFAULT_ANALYTICS_CLIENT_OPTIONS = DEFAULT_API_CLIENT_OPTIONS;

/** The read API of one widget, each call abortable. */
export interface AnalyticsClient {
  summary(range: DayRangeQuery, signal?: AbortSignal): Promise<AnalyticsSummary>;
  trends(range: DayRangeQuery, signal?: AbortSignal): Promise<AnalyticsTrends>;
  topEvents(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<TopEvents>;
  devices(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<DeviceBreakdown>;
  trafficSources(range: DayRangeQuery & { limit: number }, signal?: AbortSignal): Promise<TrafficSources>;
  active(query: { minutes: number }, signal?: AbortSignal): Promise<ActiveSessions>;
  /** Per offer and button variant: shown, clicked, click-through rate. */
  offers(range: DayRangeQuery, signal?: AbortSignal): Promise<OffersReport>;
}

/**
 * A client of `GET /api/analytics/widget/:widgetId/…` with the key as a bearer token; the
 * deadline, aborts and errors are those of {@link createApiRequester}.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions): AnalyticsClient {
  const base = `/api/analytics/widget/${encodeURIComponent(options.widgetId)}/`;
  const request = createApiRequester(options);
  const get = async <T>(path: string, query: object, signal: AbortSignal | undefined): Promise<T> =>
    (await request<T>({ path: base + path, query, signal })).body;

  return {
    summary: (range, signal) => get('summary', range, signal),
    trends: (range, signal) => get('trends', range, signal),
    topEvents: (query, signal) => get('events', query, signal),
    devices: (query, signal) => get('devices', query, signal),
    trafficSources: (query, signal) => get('traffic-sources', query, signal),
    active: (query, signal) => get('active', query, signal),
    offers: (range, signal) => get('offers', range, signal),
  };
}
