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

/**
 * Adds `delta` to the entry under `key` (the fields' values joined), creating it from
 * `fields()` at 0. The fields are built only for a new entry: a fold bumps the same few rows
 * for thousands of events.
 */
function bump<K extends Record<string, string | number>>(map: Map<string, CountDelta<K>>, key: string, fields: () => K, delta: number): void {
  const entry = map.get(key);
  if (entry) entry.delta += delta;
  else map.set(key, { ...fields(), delta });
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
    const counters = this.#counters(widgetId, day);
    for (const name of DAILY_COUNTERS) counters[name] += sign * (change[name] ?? 0);
  }

  #counters(widgetId: string, day: number): DailyCounters {
    const key = `${widgetId}\u0000${day}`;
    let entry = this.days.get(key);
    if (!entry) this.days.set(key, (entry = { widgetId, day, counters: zeroCounters() }));
    return entry.counters;
  }

  /** Event-level counters of newly stored events. */
  addEvents(rows: readonly EventRow[]): void {
    for (const row of rows) {
      const day = dayOf(row.ts);
      const counters = this.#counters(row.widgetId, day);
      counters.events += 1;
      if (row.kind === 'click') counters.clicks += 1;
      else if (row.name === 'widget_opened') counters.opens += 1;
      else if (row.name === 'message_sent') counters.messagesSent += 1;
      else if (row.name === 'message_received') counters.messagesReceived += 1;
      else if (row.name === 'error') counters.errors += 1;
      const { widgetId, name } = row;
      bump(this.names, `${widgetId}\u0000${day}\u0000${name}`, () => ({ widgetId, day, name }), 1);
      const offer = offerCountOf(row);
      if (offer !== null) this.#addOffer(row.widgetId, day, offer);
    }
  }

  #addOffer(widgetId: string, day: number, { offerId, variantId, shown, clicked }: OfferCount): void {
    const key = `${widgetId}\u0000${day}\u0000${offerId}\u0000${variantId}`;
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
    const { widgetId, day } = session;
    for (const [dimension, value] of dimensionsOf(session)) {
      bump(this.dimensions, `${widgetId}\u0000${day}\u0000${dimension}\u0000${value}`, () => ({ widgetId, day, dimension, value }), sign);
    }
  }

  /**
   * A visitor seen on `day` for the first time, whose nearest other days seen are `previous`
   * and `next` (null: none). Distinct visitors over a range are then the visitor-days in the
   * range whose previous day is before the range: a sum, with no set to build.
   */
  addVisitorDay(widgetId: string, day: number, previous: number | null, next: number | null): void {
    this.#counters(widgetId, day).visitors += 1;
    const returning = (on: number, previousDay: number, delta: number) =>
      bump(this.returns, `${widgetId}\u0000${on}\u0000${previousDay}`, () => ({ widgetId, day: on, previousDay }), delta);
    returning(day, previous ?? -1, 1);
    if (next !== null) {
      returning(next, previous ?? -1, -1);
      returning(next, day, 1);
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
