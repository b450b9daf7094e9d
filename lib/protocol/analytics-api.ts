/**
 * The analytics read API's answers, as JSON: what the collector sends and the dashboard reads.
 * Days are UTC days (`YYYY-MM-DD`); a range is `from`..`to`, both days included; times are ms
 * since the epoch. The collector builds these values and never parses them: the schemas are
 * the contract the OpenAPI document (`GET /openapi.json`) is generated from, and the types
 * come from them, so the two cannot drift.
 */
import { z } from 'zod';

const count = z.number().int().min(0);
const ms = z.number().int();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ratio = z.number().min(0);

/** Counters of one day (or summed over a range). */
export const DailyCountersSchema = z.strictObject({
  /** Raw events stored (clicks and analytics events). */
  events: count,
  /** Offer clicks. */
  clicks: count,
  /** Sessions that started on the day. */
  sessions: count,
  /** Distinct visitors seen on the day. */
  visitors: count,
  /** Visitors whose first event ever (within the retention period) was on the day. */
  newVisitors: count,
  /** `widget_opened` events. */
  opens: count,
  /** `message_sent` events. */
  messagesSent: count,
  /** `message_received` events. */
  messagesReceived: count,
  /** Sessions (started on the day) with at least one offer click. */
  conversions: count,
  /** `error` events. */
  errors: count,
  /** Sum of the durations of the sessions started on the day (last event − first event), ms. */
  sessionDurationMs: count,
});
export type DailyCounters = z.infer<typeof DailyCountersSchema>;

/** `bots` of `GET …/summary`. */
export const BotFiguresSchema = z.strictObject({
  /**
   * Events of the range (by event time) that came from bots or automated browsers and were
   * left out of the analytics: stored, but in no session, visitor, counter or offer figure.
   * 0 while the collector keeps bots (`COLLECTOR_KEEP_BOTS`), whose events count like any other.
   */
  excluded: count,
});
export type BotFigures = z.infer<typeof BotFiguresSchema>;

const rangeFields = { widgetId: z.string(), from: day, to: day };

/** `GET …/summary`. */
export const AnalyticsSummarySchema = DailyCountersSchema.extend({
  ...rangeFields,
  /**
   * Distinct visitors over the whole range (not the sum of the daily counts). Equal to
   * `visitors` here; `returningVisitors` = `visitors` − `newVisitors`.
   */
  returningVisitors: count,
  /** `conversions / sessions`, 0 when there are no sessions. */
  conversionRate: ratio,
  /** `sessionDurationMs / sessions`, 0 when there are no sessions. */
  avgSessionDurationMs: ratio,
  /** `messagesSent / sessions`, 0 when there are no sessions. */
  avgMessagesPerSession: ratio,
  /*
   * Conversation figures, read from the conversations themselves (the figures to trust for
   * chat: `messagesSent` / `messagesReceived` above count the widget's `message_sent` /
   * `message_received` analytics events, which a blocked or closed page never sends). Kept
   * only as long as conversations are (the raw-event retention): 0 or null for older ranges.
   */
  /** Conversations started in the range. */
  conversations: count,
  /**
   * Share (0–1) of the range's sessions during which their visitor's conversations had a
   * message (any author) stored between the session's first event and 30 minutes after its
   * last; 0 when there are no sessions.
   */
  sessionsWithConversationRate: ratio,
  /** Visitor messages stored in the range / the range's sessions; 0 when there are no sessions. */
  messagesSentPerSession: ratio,
  /** Agent and bot messages stored in the range / the range's sessions; 0 when there are no sessions. */
  messagesReceivedPerSession: ratio,
  /**
   * Median (nearest rank) of `first reply − first visitor message` over the conversations
   * started in the range that have a reply, ms; null when none has.
   */
  firstResponseMedianMs: ms.nullable(),
  /** 90th percentile (nearest rank) of the same durations, ms; null when none has a reply. */
  firstResponseP90Ms: ms.nullable(),
  /** Events from bots and automated browsers in the range, which every figure above leaves out. */
  bots: BotFiguresSchema,
});
export type AnalyticsSummary = z.infer<typeof AnalyticsSummarySchema>;

/** One day of `GET …/trends`. */
export const DailyTrendSchema = DailyCountersSchema.extend({
  /** `YYYY-MM-DD` (UTC). */
  date: day,
});
export type DailyTrend = z.infer<typeof DailyTrendSchema>;

/** `GET …/trends`: every day of the range, oldest first, days without data as zeros. */
export const AnalyticsTrendsSchema = z.strictObject({ ...rangeFields, days: z.array(DailyTrendSchema) });
export type AnalyticsTrends = z.infer<typeof AnalyticsTrendsSchema>;

/** `GET …/events`: event names by count over the range, most frequent first. */
export const TopEventsSchema = z.strictObject({ ...rangeFields, events: z.array(z.strictObject({ name: z.string(), count })) });
export type TopEvents = z.infer<typeof TopEventsSchema>;

/** Device types of a session. */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'other'] as const;

/** One session as the read API shows it. */
export const SessionSummarySchema = z.strictObject({
  /** Server-side session id. */
  sessionId: z.string(),
  /**
   * Who the session belongs to: the client's `sessionId`, framewire's per-browser id kept in
   * the host page's localStorage (clicks carry no `anonymousId`, so this is the one id every
   * event has).
   */
  visitorId: z.string(),
  /** The last non-null `userId` seen in the session (`framewire('identify')`), else null. */
  userId: z.string().nullable(),
  /** ms since the epoch. */
  startedAt: ms,
  /** ms since the epoch: the session's last event. */
  lastSeenAt: ms,
  durationMs: ms,
  events: count,
  clicks: count,
  opens: count,
  messagesSent: count,
  messagesReceived: count,
  /** At least one offer click. */
  converted: z.boolean(),
  /** The visitor's first session (within the retention period). */
  isNewVisitor: z.boolean(),
  /** From the session's earliest event. */
  landingPage: z.string().nullable(),
  referrerDomain: z.string().nullable(),
  utm: z.strictObject({
    source: z.string().nullable(),
    medium: z.string().nullable(),
    campaign: z.string().nullable(),
    term: z.string().nullable(),
    content: z.string().nullable(),
  }),
  deviceType: z.enum(DEVICE_TYPES),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  screen: z.string().nullable(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** `GET …/sessions`: newest first, cursor-paginated. */
export const SessionPageSchema = z.strictObject({
  ...rangeFields,
  sessions: z.array(SessionSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type SessionPage = z.infer<typeof SessionPageSchema>;

/** `GET …/active`: sessions with an event in the last `windowMs`. */
export const ActiveSessionsSchema = z.strictObject({
  widgetId: z.string(),
  /** ms since the epoch when counted. */
  at: ms,
  windowMs: count,
  count,
  /** The most recent ones first, at most 50. */
  sessions: z.array(SessionSummarySchema),
});
export type ActiveSessions = z.infer<typeof ActiveSessionsSchema>;

/** A value of one dimension and how many sessions had it. */
export const DimensionCountSchema = z.strictObject({ value: z.string(), sessions: count });
export type DimensionCount = z.infer<typeof DimensionCountSchema>;

const dimension = z.array(DimensionCountSchema);

/** `GET …/traffic-sources`: sessions by where they came from (their earliest event). */
export const TrafficSourcesSchema = z.strictObject({
  ...rangeFields,
  /** Referrer domains; `(direct)` for none. */
  referrers: dimension,
  landingPages: dimension,
  utm: z.strictObject({ source: dimension, medium: dimension, campaign: dimension, term: dimension, content: dimension }),
});
export type TrafficSources = z.infer<typeof TrafficSourcesSchema>;

/** `GET …/devices`: sessions by device, browser, OS and screen size. */
export const DeviceBreakdownSchema = z.strictObject({ ...rangeFields, deviceTypes: dimension, browsers: dimension, os: dimension, screens: dimension });
export type DeviceBreakdown = z.infer<typeof DeviceBreakdownSchema>;

/** `DELETE …/users/:id`: what was removed for an anonymous id, user id or client session id. */
export const VisitorDeletionSchema = z.strictObject({
  widgetId: z.string(),
  id: z.string(),
  deletedEvents: count,
  deletedSessions: count,
  /** Conversations of the person (by anonymous id, or user id), with their messages and webhook deliveries. */
  deletedConversations: count,
  /** Messages of those conversations, every author. */
  deletedMessages: count,
});
export type VisitorDeletion = z.infer<typeof VisitorDeletionSchema>;

/** One offer and button variant of `GET …/offers`. */
export const OfferVariantFiguresSchema = z.strictObject({
  offerId: z.string(),
  /** The variant the visitor saw (`"default"` for an offer without variants). */
  buttonVariantId: z.string(),
  /** `offer_shown` events: the open panel showed the offer (once per offer per page view). */
  shown: count,
  /** Offer clicks, counted from the click stream. */
  clicked: count,
  /** `clicked / shown`, 0 when never shown. */
  clickThroughRate: ratio,
});
export type OfferVariantFigures = z.infer<typeof OfferVariantFiguresSchema>;

/** `GET …/offers`: per offer and variant over the range, ordered by offer then variant id. */
export const OffersReportSchema = z.strictObject({ ...rangeFields, offers: z.array(OfferVariantFiguresSchema) });
export type OffersReport = z.infer<typeof OffersReportSchema>;
