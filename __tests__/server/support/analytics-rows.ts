import type { EventRow } from '../../../server';
import { DAY_MS } from '../../../server/analytics/days';
import { SESSION_GAP_MS } from '../../../server/analytics/sessionize';
import type { DailyCounters } from '../../../lib/protocol/analytics-api';

export { eventRow } from '../../support/event-rows';

/** A session as computed from raw events by the reference below. */
export interface ReferenceSession {
  visitorId: string;
  firstTs: number;
  lastTs: number;
  events: number;
  clicks: number;
}

/**
 * The definition of a session, computed the slow, obvious way from all raw events: per visitor,
 * sorted by time, a new session on another UTC day or after a gap of 30 minutes or more.
 */
export function referenceSessions(rows: readonly EventRow[]): ReferenceSession[] {
  const byVisitor = new Map<string, EventRow[]>();
  for (const row of rows) byVisitor.set(row.sessionId, [...(byVisitor.get(row.sessionId) ?? []), row]);
  const sessions: ReferenceSession[] = [];
  for (const [visitorId, events] of byVisitor) {
    events.sort((a, b) => a.ts - b.ts);
    let current: ReferenceSession | null = null;
    for (const event of events) {
      const sameDay = current !== null && Math.floor(current.firstTs / DAY_MS) === Math.floor(event.ts / DAY_MS);
      if (current === null || !sameDay || event.ts - current.lastTs >= SESSION_GAP_MS) {
        current = { visitorId, firstTs: event.ts, lastTs: event.ts, events: 0, clicks: 0 };
        sessions.push(current);
      }
      current.lastTs = event.ts;
      current.events++;
      if (event.kind === 'click') current.clicks++;
    }
  }
  return sessions;
}

/** The daily counters computed from raw events and the reference sessions, by UTC day number. */
export function referenceDaily(rows: readonly EventRow[]): Map<number, DailyCounters> {
  const days = new Map<number, DailyCounters>();
  const at = (day: number): DailyCounters => {
    let counters = days.get(day);
    if (!counters) {
      counters = { events: 0, clicks: 0, sessions: 0, visitors: 0, newVisitors: 0, opens: 0, messagesSent: 0, messagesReceived: 0, conversions: 0, errors: 0, sessionDurationMs: 0 };
      days.set(day, counters);
    }
    return counters;
  };
  const visitorsByDay = new Map<number, Set<string>>();
  const firstSeen = new Map<string, number>();
  for (const row of rows) {
    const day = Math.floor(row.ts / DAY_MS);
    const c = at(day);
    c.events++;
    if (row.kind === 'click') c.clicks++;
    if (row.kind === 'analytics' && row.name === 'widget_opened') c.opens++;
    if (row.kind === 'analytics' && row.name === 'message_sent') c.messagesSent++;
    if (row.kind === 'analytics' && row.name === 'message_received') c.messagesReceived++;
    if (row.kind === 'analytics' && row.name === 'error') c.errors++;
    visitorsByDay.set(day, (visitorsByDay.get(day) ?? new Set()).add(row.sessionId));
    firstSeen.set(row.sessionId, Math.min(firstSeen.get(row.sessionId) ?? Infinity, row.ts));
  }
  for (const [day, visitors] of visitorsByDay) at(day).visitors = visitors.size;
  for (const ts of firstSeen.values()) at(Math.floor(ts / DAY_MS)).newVisitors++;
  for (const session of referenceSessions(rows)) {
    const c = at(Math.floor(session.firstTs / DAY_MS));
    c.sessions++;
    if (session.clicks > 0) c.conversions++;
    c.sessionDurationMs += session.lastTs - session.firstTs;
  }
  return days;
}

/** One offer and variant's figures as computed by {@link referenceOffers}. */
export interface ReferenceOffer {
  offerId: string;
  buttonVariantId: string;
  shown: number;
  clicked: number;
  clickThroughRate: number;
}

/**
 * The offers report computed from raw events, the obvious way: every click with an offer id
 * is a click of (offer, variant); every `offer_shown` whose `properties.offerId` is a non-empty
 * string of at most 128 characters is a showing of (offer, variant); a missing, empty,
 * non-string or longer variant is `"default"`. Only events whose UTC day is within `days` (both ends
 * included) count. Ordered by offer then variant id, in code-unit order.
 */
export function referenceOffers(rows: readonly EventRow[], days: { first: number; last: number }): ReferenceOffer[] {
  const figures = new Map<string, ReferenceOffer>();
  const variantOf = (value: unknown): string => (typeof value === 'string' && value !== '' && value.length <= 128 ? value : 'default');
  const count = (offerId: string, buttonVariantId: string, what: 'shown' | 'clicked') => {
    const key = JSON.stringify([offerId, buttonVariantId]);
    const entry = figures.get(key) ?? { offerId, buttonVariantId, shown: 0, clicked: 0, clickThroughRate: 0 };
    entry[what]++;
    figures.set(key, entry);
  };
  for (const row of rows) {
    const day = Math.floor(row.ts / DAY_MS);
    if (day < days.first || day > days.last) continue;
    if (row.kind === 'click' && typeof row.offerId === 'string' && row.offerId !== '') count(row.offerId, variantOf(row.buttonVariantId), 'clicked');
    const offerId = row.properties?.offerId;
    if (row.kind === 'analytics' && row.name === 'offer_shown' && typeof offerId === 'string' && offerId !== '' && offerId.length <= 128) {
      count(offerId, variantOf(row.properties?.buttonVariantId), 'shown');
    }
  }
  const list = [...figures.values()].map((entry) => ({ ...entry, clickThroughRate: entry.shown === 0 ? 0 : entry.clicked / entry.shown }));
  const order = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);
  return list.sort((a, b) => order(a.offerId, b.offerId) || order(a.buttonVariantId, b.buttonVariantId));
}
