import type { EventRow } from '../store/types';
import { dayOf } from './days';
import { sessionSourceOf } from './session-context';
import type { SessionSource } from './session-context';
import { parseUserAgent } from './user-agent';
import type { DeviceInfo } from './user-agent';

/** 30 minutes without an event ends a session (seed 003). */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/**
 * One session as stored. A session is a run of one visitor's events on one UTC day in which
 * no two neighbours are 30 minutes or more apart; so it never spans midnight UTC (at most
 * 24 h) and belongs to exactly one day of the daily counters.
 */
export interface SessionRecord {
  widgetId: string;
  sessionId: string;
  visitorId: string;
  day: number;
  firstTs: number;
  lastTs: number;
  events: number;
  clicks: number;
  opens: number;
  messagesSent: number;
  messagesReceived: number;
  errors: number;
  /** The user id of the latest event that had one, and that event's time. */
  userId: string | null;
  userTs: number | null;
  /** From the earliest event with a page context, and that event's time. */
  source: SessionSource | null;
  sourceTs: number | null;
  /** From the earliest event with a user agent, and that event's time. */
  device: DeviceInfo | null;
  deviceTs: number | null;
}

/** What a session adds to the daily counters of its day. */
export interface SessionContribution {
  sessions: number;
  conversions: number;
  sessionDurationMs: number;
}

/** The changes one batch makes to the sessions of one visitor on one day. */
export interface SessionPlan {
  /** Stored sessions merged into another one: delete them. */
  deleted: SessionRecord[];
  /** Sessions to insert or overwrite (by `sessionId`). */
  upserted: SessionRecord[];
  /** Stored sessions that changed (their old versions), whose contributions go away. */
  replaced: SessionRecord[];
}

/** The visitor key of an event: the client's per-browser `sessionId`. */
export const visitorOf = (row: EventRow): string => row.sessionId;

/**
 * A one-event session being merged: its source and device are read (URL and user-agent
 * parsing) only for the event a session ends up taking them from, `sourceRow` / `deviceRow`.
 */
interface Draft extends SessionRecord {
  sourceRow?: EventRow;
  deviceRow?: EventRow;
}

/** A new event as a one-event session, its source and device still to be read (see {@link Draft}). */
function draftOfEvent(row: EventRow): Draft {
  const hasSource = row.context !== null;
  const hasDevice = Boolean(row.userAgent);
  const draft: Draft = {
    widgetId: row.widgetId,
    sessionId: row.eventId,
    visitorId: visitorOf(row),
    day: dayOf(row.ts),
    firstTs: row.ts,
    lastTs: row.ts,
    events: 1,
    clicks: row.kind === 'click' ? 1 : 0,
    opens: row.kind === 'analytics' && row.name === 'widget_opened' ? 1 : 0,
    messagesSent: row.kind === 'analytics' && row.name === 'message_sent' ? 1 : 0,
    messagesReceived: row.kind === 'analytics' && row.name === 'message_received' ? 1 : 0,
    errors: row.kind === 'analytics' && row.name === 'error' ? 1 : 0,
    userId: row.userId,
    userTs: row.userId === null ? null : row.ts,
    source: null,
    sourceTs: hasSource ? row.ts : null,
    device: null,
    deviceTs: hasDevice ? row.ts : null,
  };
  if (hasSource) draft.sourceRow = row;
  if (hasDevice) draft.deviceRow = row;
  return draft;
}

/** The session as stored: the source and device of the events it took them from, read now. */
function finish(draft: Draft): SessionRecord {
  const { sourceRow, deviceRow, ...session } = draft;
  if (sourceRow !== undefined) session.source = sessionSourceOf(sourceRow);
  if (deviceRow !== undefined) session.device = parseUserAgent(deviceRow.userAgent);
  return session;
}

/**
 * Adds session (or event) `b` of the same visitor and day into `into`, in place: counts add
 * up, times widen, and the user id of the latest event that had one, the source and device of
 * the earliest. In place because a fold merges every event of a batch this way: a new object
 * per event was a third of a fold's time.
 */
function mergeInto(into: Draft, b: Draft): void {
  into.firstTs = Math.min(into.firstTs, b.firstTs);
  into.lastTs = Math.max(into.lastTs, b.lastTs);
  into.events += b.events;
  into.clicks += b.clicks;
  into.opens += b.opens;
  into.messagesSent += b.messagesSent;
  into.messagesReceived += b.messagesReceived;
  into.errors += b.errors;
  if (b.userId !== null && b.userTs !== null && (into.userId === null || into.userTs === null || b.userTs > into.userTs)) {
    into.userId = b.userId;
    into.userTs = b.userTs;
  }
  if (b.sourceTs !== null && (into.sourceTs === null || b.sourceTs < into.sourceTs)) {
    into.source = b.source;
    into.sourceTs = b.sourceTs;
    if (b.sourceRow === undefined) delete into.sourceRow;
    else into.sourceRow = b.sourceRow;
  }
  if (b.deviceTs !== null && (into.deviceTs === null || b.deviceTs < into.deviceTs)) {
    into.device = b.device;
    into.deviceTs = b.deviceTs;
    if (b.deviceRow === undefined) delete into.deviceRow;
    else into.deviceRow = b.deviceRow;
  }
}

/** The breakdowns a session counts in (traffic sources and devices), as (dimension, value). */
export type Dimension = 'referrer' | 'landing_page' | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content' | 'device_type' | 'browser' | 'os' | 'screen';

/**
 * The (dimension, value) pairs of a session. A session without a referrer counts as
 * `(direct)`, without a device type as `other`, without browser or OS as `(unknown)`; the
 * other dimensions count only sessions that have a value.
 */
export function dimensionsOf(session: SessionRecord): [Dimension, string][] {
  const source = session.source;
  const pairs: [Dimension, string | null | undefined][] = [
    ['referrer', source?.referrerDomain ?? '(direct)'],
    ['landing_page', source?.landingPage],
    ['utm_source', source?.utmSource],
    ['utm_medium', source?.utmMedium],
    ['utm_campaign', source?.utmCampaign],
    ['utm_term', source?.utmTerm],
    ['utm_content', source?.utmContent],
    ['screen', source?.screen],
    ['device_type', session.device?.deviceType ?? 'other'],
    ['browser', session.device?.browser ?? '(unknown)'],
    ['os', session.device?.os ?? '(unknown)'],
  ];
  return pairs.filter((pair): pair is [Dimension, string] => typeof pair[1] === 'string');
}

/** What a session adds to its day's counters. */
export const contributionOf = (session: SessionRecord): SessionContribution => ({
  sessions: 1,
  conversions: session.clicks > 0 ? 1 : 0,
  sessionDurationMs: session.lastTs - session.firstTs,
});

/**
 * Folds new events of one visitor on one day into the stored sessions they touch.
 *
 * 1. `stored` must hold every stored session of the visitor on that day with
 *    `lastTs > min(event ts) − gap` and `firstTs < max(event ts) + gap` (no other can merge).
 * 2. Sessions and events are swept in time order; an item joins the current session when it
 *    is on the same UTC day and starts less than `gapMs` after the session's last event.
 * 3. A session made only of a stored session is left alone; any other keeps the id of its
 *    earliest stored session (else its earliest event's id), and the other stored sessions
 *    in it are deleted.
 * The result does not depend on the order or the batching in which events arrive.
 */
export function planSessions(stored: readonly SessionRecord[], events: readonly EventRow[], gapMs = SESSION_GAP_MS): SessionPlan {
  const items: { session: Draft; stored: boolean }[] = [];
  for (const session of stored) items.push({ session, stored: true });
  for (const row of events) items.push({ session: draftOfEvent(row), stored: false });
  items.sort((x, y) => x.session.firstTs - y.session.firstTs || (x.session.sessionId < y.session.sessionId ? -1 : x.session.sessionId > y.session.sessionId ? 1 : 0));

  const plan: SessionPlan = { deleted: [], upserted: [], replaced: [] };
  let group: typeof items = [];
  const close = (): void => {
    if (group.length === 0) return;
    const storedOnes = group.filter((item) => item.stored).map((item) => item.session);
    if (!(group.length === 1 && storedOnes.length === 1)) {
      const keep = storedOnes[0]?.sessionId ?? (group[0] as (typeof items)[number]).session.sessionId;
      // A copy: the stored sessions stay as they were (`replaced` takes their contributions away).
      const merged: Draft = { ...(group[0] as (typeof items)[number]).session, sessionId: keep };
      for (let i = 1; i < group.length; i++) mergeInto(merged, (group[i] as (typeof items)[number]).session);
      plan.upserted.push(finish(merged));
      plan.replaced.push(...storedOnes);
      plan.deleted.push(...storedOnes.filter((session) => session.sessionId !== keep));
    }
    group = [];
  };
  let lastTs = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const day = group[0]?.session.day;
    if (day !== undefined && (item.session.day !== day || item.session.firstTs - lastTs >= gapMs)) close();
    lastTs = group.length === 0 ? item.session.lastTs : Math.max(lastTs, item.session.lastTs);
    group.push(item);
  }
  close();
  return plan;
}

/** Events grouped by visitor and UTC day, the unit {@link planSessions} works on. */
export function groupByVisitorDay(rows: readonly EventRow[]): EventRow[][] {
  const groups = new Map<string, EventRow[]>();
  for (const row of rows) {
    const key = `${row.widgetId}\u0000${visitorOf(row)}\u0000${dayOf(row.ts)}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}
