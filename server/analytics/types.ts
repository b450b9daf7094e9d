/**
 * The analytics side of a store, as the collector uses it: queries, the retention policy and
 * the reader interface. The JSON answers are the read API's contract, in
 * `lib/protocol/analytics-api.ts`.
 */
import type {
  ActiveSessions,
  AnalyticsSummary,
  AnalyticsTrends,
  DeviceBreakdown,
  OffersReport,
  SessionPage,
  TopEvents,
  TrafficSources,
  VisitorDeletion,
} from '../../lib/protocol/analytics-api';
import type { DeliveryHealthAnswer } from '../../lib/protocol/delivery-health-schema';

/** A range of whole UTC days, both ends included (`YYYY-MM-DD`). */
export interface DayRange {
  widgetId: string;
  /** First day, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day, `YYYY-MM-DD` (UTC), included. */
  to: string;
}

/** Query of `SessionPage`. */
export interface SessionQuery extends DayRange {
  /** 1–100. */
  limit: number;
  cursor: string | null;
}

/** How long raw events and sessions are kept (the daily rollups are kept for ever). */
export interface RetentionPolicy {
  /**
   * Raw events are deleted this long after the collector received them.
   * @default 7776000000 (90 days)
   */
  eventsMs: number;
  /**
   * Sessions (and visitors' first-seen rows) are deleted this long after their last event.
   * @default 31536000000 (365 days)
   */
  sessionsMs: number;
  /**
   * Events deleted per statement (each its own transaction).
   * @default 10000
   */
  eventChunk: number;
  /**
   * Sessions (and first-seen rows) deleted per statement.
   * @default 5000
   */
  sessionChunk: number;
  /**
   * Conversations (with their messages and webhook deliveries) deleted per transaction; they
   * are kept as long as raw events (`eventsMs` after their last message).
   * @default 1000
   */
  conversationChunk?: number;
}

/** Conversations deleted per transaction by the retention job when the policy does not say. */
export const DEFAULT_CONVERSATION_CHUNK = 1000;

/** What one retention run did. */
export interface RetentionResult {
  deletedEvents: number;
  deletedSessions: number;
  /** First-seen rows of visitors not seen within the sessions retention period. */
  deletedVisitorRows: number;
  /** Conversations whose last message is older than the raw-event retention. */
  deletedConversations: number;
  /** The messages of those conversations. */
  deletedMessages: number;
  tookMs: number;
}

/** A progress line of a retention run. */
export interface RetentionProgress {
  table: 'events' | 'sessions' | 'visitors' | 'conversations';
  deletedSoFar: number;
}

/**
 * The analytics side of a store. Sessions and daily counters are kept up to date at ingest,
 * in the same transaction as the raw events, so reads never scan raw events for the summary
 * and trends.
 */
export interface AnalyticsReader {
  summary(range: DayRange): Promise<AnalyticsSummary>;
  trends(range: DayRange): Promise<AnalyticsTrends>;
  topEvents(range: DayRange & { limit: number }): Promise<TopEvents>;
  activeSessions(query: { widgetId: string; now: number; windowMs: number }): Promise<ActiveSessions>;
  listSessions(query: SessionQuery): Promise<SessionPage>;
  trafficSources(range: DayRange & { limit: number }): Promise<TrafficSources>;
  devices(range: DayRange & { limit: number }): Promise<DeviceBreakdown>;
  /** Offers shown and clicked per offer and button variant over the range (see `offerCountOf`). */
  offers(range: DayRange): Promise<OffersReport>;
  /** The host queues' and widgets' delivery health reports, per day and over the range (see `delivery-health.ts`). */
  deliveryHealth(range: DayRange): Promise<DeliveryHealthAnswer>;
  /** Removes every event and session of the id (anonymous id, user id or client session id). */
  deleteVisitor(query: { widgetId: string; id: string }): Promise<VisitorDeletion>;
  /** Deletes what is older than the policy allows, in chunks, relative to `now`. */
  applyRetention(policy: RetentionPolicy, now: number, onProgress?: (progress: RetentionProgress) => void): Promise<RetentionResult>;
}
