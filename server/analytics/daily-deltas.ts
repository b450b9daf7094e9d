import type { EventRow } from '../store/types';
import type { DailyCounters } from './types';
import { dayOf } from './days';
import { contributionOf } from './sessionize';
import type { SessionPlan } from './sessionize';

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

/** Changes to the daily counters (and per-name event counts) that one transaction makes. */
export class DailyDeltas {
  readonly days = new Map<string, { widgetId: string; day: number; counters: DailyCounters }>();
  readonly names = new Map<string, { widgetId: string; day: number; name: string; count: number }>();

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
      const key = `${row.widgetId}\u0000${day}\u0000${row.name}`;
      const named = this.names.get(key);
      if (named) named.count++;
      else this.names.set(key, { widgetId: row.widgetId, day, name: row.name, count: 1 });
    }
  }

  /** Session-level counters: the old versions' contributions out, the new ones' in. */
  addSessionPlan(plan: SessionPlan): void {
    for (const session of plan.replaced) this.add(session.widgetId, session.day, contributionOf(session), -1);
    for (const session of plan.upserted) this.add(session.widgetId, session.day, contributionOf(session));
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
