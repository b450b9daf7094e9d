import type { AnalyticsSummary, AnalyticsTrends, DeviceBreakdown, TopEvents, TrafficSources } from '../../../lib/protocol/analytics-api';
import type { AnalyticsClient } from './analytics-client';
import type { DayRangeQuery } from './date-range';

/** Everything the dashboard shows for a range, except the live active sessions. */
export interface Overview {
  summary: AnalyticsSummary;
  trends: AnalyticsTrends;
  topEvents: TopEvents;
  devices: DeviceBreakdown;
  traffic: TrafficSources;
}

/** How many rows the lists ask for. */
export const OVERVIEW_LIMITS = Object.freeze({
  /** @default 10 */
  topEvents: 10,
  /** Per breakdown list (referrers, browsers, …). @default 6 */
  breakdown: 6,
});

/**
 * Loads the five range endpoints in parallel, as one unit: the page never mixes numbers of two
 * ranges. The first failure aborts the other requests and rejects.
 */
export async function loadOverview(client: AnalyticsClient, range: DayRangeQuery, signal: AbortSignal): Promise<Overview> {
  const sibling = new AbortController();
  const both = AbortSignal.any([signal, sibling.signal]);
  const guard = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      sibling.abort(error);
      throw error;
    });
  const [summary, trends, topEvents, devices, traffic] = await Promise.all([
    guard(client.summary(range, both)),
    guard(client.trends(range, both)),
    guard(client.topEvents({ ...range, limit: OVERVIEW_LIMITS.topEvents }, both)),
    guard(client.devices({ ...range, limit: OVERVIEW_LIMITS.breakdown }, both)),
    guard(client.trafficSources({ ...range, limit: OVERVIEW_LIMITS.breakdown }, both)),
  ]);
  return { summary, trends, topEvents, devices, traffic };
}

/** True when nothing at all happened in the range: the page shows the empty state, not charts. */
export function isEmptyOverview(overview: Overview): boolean {
  return overview.summary.events === 0 && overview.summary.sessions === 0;
}
