import { analyticsSchemaSql, DROP_SESSIONS_LAST_TS_INDEX_SQL } from '../analytics/schema';
import { offersSchemaSql } from '../analytics/offers';
import { eventsSchemaSql } from '../events-schema';
import { widgetsSchemaSql } from '../widgets-schema';
import { conversationsSchemaSql } from '../conversations-schema';
import { analyticsQueueSchemaSql } from '../analytics/fold-queue';
import { botsSchemaSql } from '../analytics/bots';
import { deliveryHealthSchemaSql } from '../analytics/delivery-health';

/** One schema step; versions only grow, applied ones never change. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * PostgreSQL schema, in order. Times are ms since the epoch in BIGINT (the same values as on
 * SQLite; `to_timestamp(ts / 1000.0)` gives a timestamptz), JSON is JSONB.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'raw events',
    sql: eventsSchemaSql({ integer: 'BIGINT', json: 'JSONB' }),
  },
  {
    version: 2,
    name: 'analytics: sessions, visitors, daily counters',
    sql: analyticsSchemaSql('BIGINT'),
  },
  {
    version: 3,
    name: 'widget registry',
    sql: widgetsSchemaSql({ integer: 'BIGINT', json: 'JSONB' }),
  },
  {
    version: 4,
    name: 'analytics: offers shown and clicked per day, offer and variant, counted from the stored events',
    sql: offersSchemaSql('postgres'),
  },
  {
    version: 5,
    name: 'conversations, their messages, webhook deliveries, widget webhooks',
    sql: conversationsSchemaSql({ integer: 'BIGINT' }),
  },
  {
    version: 6,
    name: 'analytics queue: stored batches waiting to be folded into sessions and rollups',
    sql: analyticsQueueSchemaSql('postgres'),
  },
  {
    version: 7,
    name: 'bots: the bot mark on raw events, and the daily count of bot events left out of the analytics',
    sql: botsSchemaSql('BIGINT'),
  },
  {
    version: 8,
    name: 'delivery health: the host queues\' and the widgets\' reports per widget, day and figure',
    sql: deliveryHealthSchemaSql('BIGINT'),
  },
  {
    version: 9,
    name: 'sessions: no index by last event time (every fold moved it; active sessions are found by day)',
    sql: DROP_SESSIONS_LAST_TS_INDEX_SQL,
  },
];
