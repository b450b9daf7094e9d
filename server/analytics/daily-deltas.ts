import type { EventRow } from '../store/types';
import type { DailyCounters } from '../../lib/protocol/analytics-api';
import { dayOf } from './days';
import { offerCountOf } from './offer-counts';
import { contributionOf, dimensionsOf } from './sessionize';
import type { SessionPlan, SessionRecord } from './sessionize';
import type { OfferCount } from './offer-counts';

/** The daily counters in storage order, with their column names. */
export const DAILY_COUNTER_COLUMNS = {
  events: 'events',
  clicks: 'clicks',
  sessions: 'sessions',
  visitors: 'visitors',
  newVisitors: 'new_visitors',
  opens: 'opens',
  messagesSent: 'messages_sent',
  messagesReceived: 'messages_received',
  conversions: 'conversions',
  errors: 'errors',
  sessionDurationMs: 'session_duration_ms',
} as const satisfies Record<keyof DailyCounters, string>;

/** The counter names, in storage order. */
export const DAILY_COUNTERS = Object.keys(DAILY_COUNTER_COLUMNS) as (keyof DailyCounters)[];

/** All counters at zero. */
export const zeroCounters = (): DailyCounters => ({
  events: 0,
  clicks: 0,
  sessions: 0,
  visitors: 0,
  newVisitors: 0,
  opens: 0,
  messagesSent: 0,
  messagesReceived: 0,
  conversions: 0,
  errors: 0,
  sessionDurationMs: 0,
});

/** A rollup row's key fields and how much the transaction adds to its one count. */
export type CountDelta<K> = K & { delta: number };

/** Adds `delta` to the entry of `fields` (keyed by their values, in order), creating it at 0. */
function bump<K extends Record<string, string | number>>(map: Map<string, CountDelta<K>>, fields: K, delta: number): void {
  const key = Object.values(fields).join('\u0000');
  const entry = map.get(key);
  if (entry) entry.delta += delta;
  else map.set(key, { ...fields, delta });
}

/** Changes to the daily counters and the other daily rollups that one transaction makes. */
export class DailyDeltas {
  readonly days = new Map<string, { widgetId: string; day: number; counters: DailyCounters }>();
  /** Events per (day, name). */
  readonly names = new Map<string, CountDelta<{ widgetId: string; day: number; name: string }>>();
  /** Sessions per (day, dimension, value): see `dimensionsOf`. */
  readonly dimensions = new Map<string, CountDelta<{ widgetId: string; day: number; dimension: string; value: string }>>();
  /** Visitors per (day, previous day seen, or −1): see `addVisitorDay`. */
  readonly returns = new Map<string, CountDelta<{ widgetId: string; day: number; previousDay: number }>>();
  /** Offers shown and clicked per (day, offer, variant): see `offerCountOf`. */
  readonly offers = new Map<string, { widgetId: string; day: number; offerId: string; variantId: string; shown: number; clicked: number }>();

  add(widgetId: string, day: number, change: Partial<DailyCounters>, sign = 1): void {
    const key = `${widgetId}\u0000${day}`;
    let entry = this.days.get(key);
    if (!entry) this.days.set(key, (entry = { widgetId, day, counters: zeroCounters() }));
    for (const name of DAILY_COUNTERS) entry.counters[name] += sign * (change[name] ?? 0);
  }

  /** Event-level counters of newly stored events. */
  addEvents(rows: readonly EventRow[]): void {
    for (const row of rows) {
      const day = dayOf(row.ts);
      const analytics = row.kind === 'analytics';
      this.add(row.widgetId, day, {
        events: 1,
        clicks: row.kind === 'click' ? 1 : 0,
        opens: analytics && row.name === 'widget_opened' ? 1 : 0,
        messagesSent: analytics && row.name === 'message_sent' ? 1 : 0,
        messagesReceived: analytics && row.name === 'message_received' ? 1 : 0,
        errors: analytics && row.name === 'error' ? 1 : 0,
      });
      bump(this.names, { widgetId: row.widgetId, day, name: row.name }, 1);
      const offer = offerCountOf(row);
      if (offer !== null) this.#addOffer(row.widgetId, day, offer);
    }
  }

  #addOffer(widgetId: string, day: number, { offerId, variantId, shown, clicked }: OfferCount): void {
    const key = [widgetId, day, offerId, variantId].join('\u0000');
    const entry = this.offers.get(key);
    if (entry) {
      entry.shown += shown;
      entry.clicked += clicked;
    } else this.offers.set(key, { widgetId, day, offerId, variantId, shown, clicked });
  }

  /** Session-level counters and breakdowns: the old versions' contributions out, the new ones' in. */
  addSessionPlan(plan: SessionPlan): void {
    for (const session of plan.replaced) this.#addSession(session, -1);
    for (const session of plan.upserted) this.#addSession(session, 1);
  }

  #addSession(session: SessionRecord, sign: number): void {
    this.add(session.widgetId, session.day, contributionOf(session), sign);
    for (const [dimension, value] of dimensionsOf(session)) {
      bump(this.dimensions, { widgetId: session.widgetId, day: session.day, dimension, value }, sign);
    }
  }

  /**
   * A visitor seen on `day` for the first time, whose nearest other days seen are `previous`
   * and `next` (null: none). Distinct visitors over a range are then the visitor-days in the
   * range whose previous day is before the range: a sum, with no set to build.
   */
  addVisitorDay(widgetId: string, day: number, previous: number | null, next: number | null): void {
    this.add(widgetId, day, { visitors: 1 });
    bump(this.returns, { widgetId, day, previousDay: previous ?? -1 }, 1);
    if (next !== null) {
      bump(this.returns, { widgetId, day: next, previousDay: previous ?? -1 }, -1);
      bump(this.returns, { widgetId, day: next, previousDay: day }, 1);
    }
  }

  /**
   * A visitor's first event moved from `previous` (null: never seen) to `first`: the day that
   * counts them as new moves with it.
   */
  moveFirstSeen(widgetId: string, previous: number | null, first: number): void {
    if (previous !== null && (first >= previous || dayOf(first) === dayOf(previous))) return;
    if (previous !== null) this.add(widgetId, dayOf(previous), { newVisitors: 1 }, -1);
    this.add(widgetId, dayOf(first), { newVisitors: 1 });
  }
}
