/**
 * The analytics read API's answers, as JSON: what the collector sends and the dashboard reads.
 * Days are UTC days (`YYYY-MM-DD`); a range is `from`..`to`, both days included; times are ms
 * since the epoch. Types only: the collector builds these values, it never parses them.
 */

/** Counters of one day (or summed over a range). */
export interface DailyCounters {
  /** Raw events stored (clicks and analytics events). */
  events: number;
  /** Offer clicks. */
  clicks: number;
  /** Sessions that started on the day. */
  sessions: number;
  /** Distinct visitors seen on the day. */
  visitors: number;
  /** Visitors whose first event ever (within the retention period) was on the day. */
  newVisitors: number;
  /** `widget_opened` events. */
  opens: number;
  /** `message_sent` events. */
  messagesSent: number;
  /** `message_received` events. */
  messagesReceived: number;
  /** Sessions (started on the day) with at least one offer click. */
  conversions: number;
  /** `error` events. */
  errors: number;
  /** Sum of the durations of the sessions started on the day (last event − first event), ms. */
  sessionDurationMs: number;
}

/** `GET …/summary`. */
export interface AnalyticsSummary extends DailyCounters {
  widgetId: string;
  from: string;
  to: string;
  /**
   * Distinct visitors over the whole range (not the sum of the daily counts). Equal to
   * `visitors` here; `returningVisitors` = `visitors` − `newVisitors`.
   */
  returningVisitors: number;
  /** `conversions / sessions`, 0 when there are no sessions. */
  conversionRate: number;
  /** `sessionDurationMs / sessions`, 0 when there are no sessions. */
  avgSessionDurationMs: number;
  /** `messagesSent / sessions`, 0 when there are no sessions. */
  avgMessagesPerSession: number;
  /*
   * Conversation figures, read from the conversations themselves (the figures to trust for
   * chat: `messagesSent` / `messagesReceived` above count the widget's `message_sent` /
   * `message_received` analytics events, which a blocked or closed page never sends). Kept
   * only as long as conversations are (the raw-event retention): 0 or null for older ranges.
   */
  /** Conversations started in the range. */
  conversations: number;
  /**
   * Share (0–1) of the range's sessions during which their visitor's conversations had a
   * message (any author) stored between the session's first event and 30 minutes after its
   * last; 0 when there are no sessions.
   */
  sessionsWithConversationRate: number;
  /** Visitor messages stored in the range / the range's sessions; 0 when there are no sessions. */
  messagesSentPerSession: number;
  /** Agent and bot messages stored in the range / the range's sessions; 0 when there are no sessions. */
  messagesReceivedPerSession: number;
  /**
   * Median (nearest rank) of `first reply − first visitor message` over the conversations
   * started in the range that have a reply, ms; null when none has.
   */
  firstResponseMedianMs: number | null;
  /** 90th percentile (nearest rank) of the same durations, ms; null when none has a reply. */
  firstResponseP90Ms: number | null;
  /** Events from bots and automated browsers in the range, which every figure above leaves out. */
  bots: BotFigures;
}

/** `bots` of `GET …/summary`. */
export interface BotFigures {
  /**
   * Events of the range (by event time) that came from bots or automated browsers and were
   * left out of the analytics: stored, but in no session, visitor, counter or offer figure.
   * 0 while the collector keeps bots (`COLLECTOR_KEEP_BOTS`), whose events count like any other.
   */
  excluded: number;
}

/** One day of `GET …/trends`. */
export interface DailyTrend extends DailyCounters {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
}

/** `GET …/trends`: every day of the range, oldest first, days without data as zeros. */
export interface AnalyticsTrends {
  widgetId: string;
  from: string;
  to: string;
  days: DailyTrend[];
}

/** `GET …/events`: event names by count over the range, most frequent first. */
export interface TopEvents {
  widgetId: string;
  from: string;
  to: string;
  events: { name: string; count: number }[];
}

/** One session as the read API shows it. */
export interface SessionSummary {
  /** Server-side session id. */
  sessionId: string;
  /**
   * Who the session belongs to: the client's `sessionId`, framewire's per-browser id kept in
   * the host page's localStorage (clicks carry no `anonymousId`, so this is the one id every
   * event has).
   */
  visitorId: string;
  /** The last non-null `userId` seen in the session (`framewire('identify')`), else null. */
  userId: string | null;
  /** ms since the epoch. */
  startedAt: number;
  /** ms since the epoch: the session's last event. */
  lastSeenAt: number;
  durationMs: number;
  events: number;
  clicks: number;
  opens: number;
  messagesSent: number;
  messagesReceived: number;
  /** At least one offer click. */
  converted: boolean;
  /** The visitor's first session (within the retention period). */
  isNewVisitor: boolean;
  /** From the session's earliest event. */
  landingPage: string | null;
  referrerDomain: string | null;
  utm: { source: string | null; medium: string | null; campaign: string | null; term: string | null; content: string | null };
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'other';
  browser: string | null;
  os: string | null;
  screen: string | null;
}

/** `GET …/sessions`: newest first, cursor-paginated. */
export interface SessionPage {
  widgetId: string;
  from: string;
  to: string;
  sessions: SessionSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** `GET …/active`: sessions with an event in the last `windowMs`. */
export interface ActiveSessions {
  widgetId: string;
  /** ms since the epoch when counted. */
  at: number;
  windowMs: number;
  count: number;
  /** The most recent ones first, at most 50. */
  sessions: SessionSummary[];
}

/** A value of one dimension and how many sessions had it. */
export interface DimensionCount {
  value: string;
  sessions: number;
}

/** `GET …/traffic-sources`: sessions by where they came from (their earliest event). */
export interface TrafficSources {
  widgetId: string;
  from: string;
  to: string;
  /** Referrer domains; `(direct)` for none. */
  referrers: DimensionCount[];
  landingPages: DimensionCount[];
  utm: { source: DimensionCount[]; medium: DimensionCount[]; campaign: DimensionCount[]; term: DimensionCount[]; content: DimensionCount[] };
}

/** `GET …/devices`: sessions by device, browser, OS and screen size. */
export interface DeviceBreakdown {
  widgetId: string;
  from: string;
  to: string;
  deviceTypes: DimensionCount[];
  browsers: DimensionCount[];
  os: DimensionCount[];
  screens: DimensionCount[];
}

/** `DELETE …/users/:id`: what was removed for an anonymous id, user id or client session id. */
export interface VisitorDeletion {
  widgetId: string;
  id: string;
  deletedEvents: number;
  deletedSessions: number;
  /** Conversations of the person (by anonymous id, or user id), with their messages and webhook deliveries. */
  deletedConversations: number;
  /** Messages of those conversations, every author. */
  deletedMessages: number;
}

/** One offer and button variant of `GET …/offers`. */
export interface OfferVariantFigures {
  offerId: string;
  /** The variant the visitor saw (`"default"` for an offer without variants). */
  buttonVariantId: string;
  /** `offer_shown` events: the open panel showed the offer (once per offer per page view). */
  shown: number;
  /** Offer clicks, counted from the click stream. */
  clicked: number;
  /** `clicked / shown`, 0 when never shown. */
  clickThroughRate: number;
}

/** `GET …/offers`: per offer and variant over the range, ordered by offer then variant id. */
export interface OffersReport {
  widgetId: string;
  from: string;
  to: string;
  offers: OfferVariantFigures[];
}
