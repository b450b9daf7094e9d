import { analyticsSchemaSql, DROP_SESSIONS_LAST_TS_INDEX_SQL } from '../analytics/schema';
import { offersSchemaSql } from '../analytics/offers';
import { eventsSchemaSql } from '../events-schema';
import { widgetsSchemaSql } from '../widgets-schema';
import { conversationsSchemaSql } from '../conversations-schema';
import { analyticsQueueSchemaSql } from '../analytics/fold-queue';
import { botsSchemaSql } from '../analytics/bots';
import { deliveryHealthSchemaSql } from '../analytics/delivery-health';
import { SQLITE_LEASE_SCHEMA } from './analytics-lease';

/** One schema step; versions only grow, applied ones never change. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/** SQLite schema, in order. Times are ms since the epoch, JSON is text. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'raw events',
    sql: eventsSchemaSql({ integer: 'INTEGER', json: 'TEXT' }),
  },
  {
    version: 2,
    name: 'analytics: sessions, visitors, daily counters',
    sql: analyticsSchemaSql('INTEGER'),
  },
  {
    version: 3,
    name: 'widget registry',
    sql: widgetsSchemaSql({ integer: 'INTEGER', json: 'TEXT' }),
  },
  {
    version: 4,
    name: 'analytics: offers shown and clicked per day, offer and variant, counted from the stored events',
    sql: offersSchemaSql('sqlite'),
  },
  {
    version: 5,
    name: 'conversations, their messages, webhook deliveries, widget webhooks',
    sql: conversationsSchemaSql({ integer: 'INTEGER' }),
  },
  {
    version: 6,
    name: 'analytics queue: stored batches waiting to be folded into sessions and rollups; the lease of the process that folds',
    sql: analyticsQueueSchemaSql('sqlite') + SQLITE_LEASE_SCHEMA,
  },
  {
    version: 7,
    name: 'bots: the bot mark on raw events, and the daily count of bot events left out of the analytics',
    sql: botsSchemaSql('INTEGER'),
  },
  {
    version: 8,
    name: 'delivery health: the host queues\' and the widgets\' reports per widget, day and figure',
    sql: deliveryHealthSchemaSql('INTEGER'),
  },
  {
    version: 9,
    name: 'sessions: no index by last event time (every fold moved it; active sessions are found by day)',
    sql: DROP_SESSIONS_LAST_TS_INDEX_SQL,
  },
];
