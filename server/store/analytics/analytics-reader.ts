import { DAILY_COUNTER_COLUMNS, DAILY_COUNTERS, zeroCounters } from '../../analytics/daily-deltas';
import { DAY_MS, dayBounds, dayOf, isoDay } from '../../analytics/days';
import type { Dimension, SessionRecord } from '../../analytics/sessionize';
import { summarize } from '../../analytics/summary';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../../errors';
import type {
  ActiveSessions,
  AnalyticsSummary,
  AnalyticsTrends,
  DailyCounters,
  DeviceBreakdown,
  DimensionCount,
  SessionPage,
  SessionSummary,
  TopEvents,
  TrafficSources,
} from '../../../lib/protocol/analytics-api';
import type { AnalyticsReader, DayRange, SessionQuery } from '../../analytics/types';
import { recordToSession, SESSION_COLUMNS } from './session-codec';
import type { RawSessionRecord } from './session-codec';
import { deleteOldConversations, deleteVisitorWork, retentionWork } from './maintenance';
import { readConversationCounts } from './conversation-reads';
import { conversationFigures } from '../../analytics/conversation-figures';
import { readOffers } from './offers';
import { readBotsExcluded } from './bots';
import { deliveryHealthAnswer, SELECT_DELIVERY_HEALTH } from './delivery-health';
import type { Work } from '../sql-runner';
import type { StoreEngine } from '../types';

/** Runs one read query (`?` placeholders) and hands back its rows. */
export type QueryRows = (sql: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** How an engine runs maintenance work: in one transaction, or statement by statement. */
export interface WorkRunner {
  inTransaction<T>(work: Work<T>): Promise<T>;
  autocommit<T>(work: Work<T>): Promise<T>;
}

const SUMS = DAILY_COUNTERS.map((name) => `SUM(${DAILY_COUNTER_COLUMNS[name]}) AS ${DAILY_COUNTER_COLUMNS[name]}`).join(', ');
const SESSION_SELECT = `SELECT ${SESSION_COLUMNS.map((c) => `s.${c}`).join(', ')}, v.first_ts AS visitor_first_ts
  FROM sessions s LEFT JOIN visitors v ON v.widget_id = s.widget_id AND v.visitor_id = s.visitor_id`;
const MAX_TS = Number.MAX_SAFE_INTEGER;
const ACTIVE_LIST_LIMIT = 50;

function countersOf(record: Record<string, unknown> | undefined): DailyCounters {
  const counters = zeroCounters();
  if (record) for (const name of DAILY_COUNTERS) counters[name] = Number(record[DAILY_COUNTER_COLUMNS[name]] ?? 0);
  return counters;
}

function summaryOf(record: Record<string, unknown> & { visitor_first_ts?: unknown }): SessionSummary {
  const s: SessionRecord = recordToSession(record as RawSessionRecord);
  return {
    sessionId: s.sessionId,
    visitorId: s.visitorId,
    userId: s.userId,
    startedAt: s.firstTs,
    lastSeenAt: s.lastTs,
    durationMs: s.lastTs - s.firstTs,
    events: s.events,
    clicks: s.clicks,
    opens: s.opens,
    messagesSent: s.messagesSent,
    messagesReceived: s.messagesReceived,
    converted: s.clicks > 0,
    isNewVisitor: record.visitor_first_ts !== null && record.visitor_first_ts !== undefined && Number(record.visitor_first_ts) === s.firstTs,
    landingPage: s.source?.landingPage ?? null,
    referrerDomain: s.source?.referrerDomain ?? null,
    utm: {
      source: s.source?.utmSource ?? null,
      medium: s.source?.utmMedium ?? null,
      campaign: s.source?.utmCampaign ?? null,
      term: s.source?.utmTerm ?? null,
      content: s.source?.utmContent ?? null,
    },
    deviceType: s.device?.deviceType ?? 'other',
    browser: s.device?.browser ?? null,
    os: s.device?.os ?? null,
    screen: s.source?.screen ?? null,
  };
}

/** Opaque keyset cursor of the session list: the last row's start time and id. */
const encodeCursor = (s: SessionSummary): string => Buffer.from(JSON.stringify([s.startedAt, s.sessionId])).toString('base64url');

function decodeCursor(cursor: string | null): [number, string] {
  if (cursor === null) return [MAX_TS, ''];
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') return [value[0] as number, value[1]];
  } catch {
    // fall through
  }
  throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'cursor: not a cursor this API handed out');
}

/**
 * The read side of the analytics, written once for both engines: summary, trends, top events,
 * the breakdowns and the offers read daily rollups (a few rows per day and value); the session lists
 * read the sessions table through its indexes; no read scans raw events.
 */
export function createAnalyticsReader(query: QueryRows, runner: WorkRunner, engine: StoreEngine): AnalyticsReader {
  const dimension = async (name: Dimension, range: DayRange & { limit: number }): Promise<DimensionCount[]> => {
    const { first, last } = dayBounds(range);
    const found = await query(
      `SELECT value, SUM(sessions) AS sessions FROM daily_dimensions
       WHERE widget_id = ? AND dimension = ? AND day >= ? AND day <= ?
       GROUP BY value HAVING SUM(sessions) > 0 ORDER BY 2 DESC, 1 LIMIT ?`,
      [range.widgetId, name, first, last, range.limit],
    );
    return found.map((r) => ({ value: String(r.value), sessions: Number(r.sessions) }));
  };

  return {
    async summary(range): Promise<AnalyticsSummary> {
      const { first, last } = dayBounds(range);
      const [sums, distinct, conversations, botsExcluded] = await Promise.all([
        query(`SELECT ${SUMS} FROM daily_stats WHERE widget_id = ? AND day >= ? AND day <= ?`, [range.widgetId, first, last]),
        // Distinct visitors: the visitor-days of the range whose previous day seen is before it.
        query('SELECT SUM(visitors) AS n FROM daily_returns WHERE widget_id = ? AND day >= ? AND day <= ? AND previous_day < ?', [range.widgetId, first, last, first]),
        readConversationCounts(query, range),
        readBotsExcluded(query, range),
      ]);
      const counters = countersOf(sums[0]);
      return summarize(range, counters, Number(distinct[0]?.n ?? 0), conversationFigures(conversations, counters.sessions), { excluded: botsExcluded });
    },

    async trends(range): Promise<AnalyticsTrends> {
      const { first, last } = dayBounds(range);
      const found = await query(`SELECT day, ${SUMS} FROM daily_stats WHERE widget_id = ? AND day >= ? AND day <= ? GROUP BY day`, [range.widgetId, first, last]);
      const byDay = new Map(found.map((r) => [Number(r.day), r]));
      const days = [];
      for (let day = first; day <= last; day++) days.push({ date: isoDay(day), ...countersOf(byDay.get(day)) });
      return { widgetId: range.widgetId, from: range.from, to: range.to, days };
    },

    async topEvents(range): Promise<TopEvents> {
      const { first, last } = dayBounds(range);
      const found = await query(
        `SELECT name, SUM(count) AS count FROM daily_event_names WHERE widget_id = ? AND day >= ? AND day <= ?
         GROUP BY name ORDER BY 2 DESC, name LIMIT ?`,
        [range.widgetId, first, last, range.limit],
      );
      return { widgetId: range.widgetId, from: range.from, to: range.to, events: found.map((r) => ({ name: String(r.name), count: Number(r.count) })) };
    },

    async activeSessions({ widgetId, now, windowMs }): Promise<ActiveSessions> {
      const since = now - windowMs;
      // A session lies within one UTC day, so one active since `since` is of that day or later:
      // the day bound lets the widget's sessions be found by day (there is no index by `last_ts`).
      const [count, list] = await Promise.all([
        query('SELECT COUNT(*) AS n FROM sessions WHERE widget_id = ? AND day >= ? AND last_ts >= ?', [widgetId, dayOf(since), since]),
        query(`${SESSION_SELECT} WHERE s.widget_id = ? AND s.day >= ? AND s.last_ts >= ? ORDER BY s.last_ts DESC, s.session_id LIMIT ?`, [widgetId, dayOf(since), since, ACTIVE_LIST_LIMIT]),
      ]);
      return { widgetId, at: now, windowMs, count: Number(count[0]?.n ?? 0), sessions: list.map(summaryOf) };
    },

    async listSessions(q: SessionQuery): Promise<SessionPage> {
      const { first, last } = dayBounds(q);
      const [beforeTs, beforeId] = decodeCursor(q.cursor);
      const found = await query(
        `${SESSION_SELECT} WHERE s.widget_id = ? AND s.first_ts >= ? AND s.first_ts < ?
           AND (s.first_ts < ? OR (s.first_ts = ? AND s.session_id < ?))
         ORDER BY s.first_ts DESC, s.session_id DESC LIMIT ?`,
        [q.widgetId, first * DAY_MS, (last + 1) * DAY_MS, beforeTs, beforeTs, beforeId, q.limit + 1],
      );
      const sessions = found.slice(0, q.limit).map(summaryOf);
      const lastShown = sessions[sessions.length - 1];
      return {
        widgetId: q.widgetId,
        from: q.from,
        to: q.to,
        sessions,
        nextCursor: found.length > q.limit && lastShown ? encodeCursor(lastShown) : null,
      };
    },

    async trafficSources(range): Promise<TrafficSources> {
      const [referrers, landingPages, source, medium, campaign, term, content] = await Promise.all([
        dimension('referrer', range),
        dimension('landing_page', range),
        dimension('utm_source', range),
        dimension('utm_medium', range),
        dimension('utm_campaign', range),
        dimension('utm_term', range),
        dimension('utm_content', range),
      ]);
      return { widgetId: range.widgetId, from: range.from, to: range.to, referrers, landingPages, utm: { source, medium, campaign, term, content } };
    },

    async devices(range): Promise<DeviceBreakdown> {
      const [deviceTypes, browsers, os, screens] = await Promise.all([
        dimension('device_type', range),
        dimension('browser', range),
        dimension('os', range),
        dimension('screen', range),
      ]);
      return { widgetId: range.widgetId, from: range.from, to: range.to, deviceTypes, browsers, os, screens };
    },

    offers: (range) => readOffers(query, range),

    async deliveryHealth(range) {
      const { first, last } = dayBounds(range);
      return deliveryHealthAnswer(range, await query(SELECT_DELIVERY_HEALTH, [range.widgetId, first, last]));
    },

    deleteVisitor: ({ widgetId, id }) => runner.inTransaction(deleteVisitorWork(widgetId, id)),

    async applyRetention(policy, now, onProgress) {
      const started = Date.now();
      const analytics = await runner.autocommit(retentionWork(engine, policy, now, onProgress));
      const conversations = await deleteOldConversations(runner, policy, now, onProgress);
      return {
        ...analytics,
        deletedConversations: conversations.conversations,
        deletedMessages: conversations.messages,
        tookMs: Date.now() - started,
      };
    },
  };
}
