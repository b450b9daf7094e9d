import { analyticsSchemaSql } from '../analytics/schema';

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
    sql: `
      CREATE TABLE events (
        widget_id          TEXT    NOT NULL,
        event_id           TEXT    NOT NULL,
        kind               TEXT    NOT NULL CHECK (kind IN ('click', 'analytics')),
        name               TEXT    NOT NULL,
        category           TEXT,
        session_id         TEXT    NOT NULL,
        anonymous_id       TEXT,
        user_id            TEXT,
        question_id        TEXT,
        offer_id           TEXT,
        button_variant_id  TEXT,
        ts                 INTEGER NOT NULL,
        received_at        INTEGER NOT NULL,
        batch_id           TEXT,
        ip                 TEXT,
        user_agent         TEXT,
        properties         TEXT,
        context            TEXT,
        PRIMARY KEY (widget_id, event_id)
      );
      CREATE INDEX events_widget_ts ON events (widget_id, ts);
      CREATE INDEX events_widget_session ON events (widget_id, session_id, ts);
      CREATE INDEX events_received_at ON events (received_at);
    `,
  },
  {
    version: 2,
    name: 'analytics: sessions, visitors, daily counters',
    sql: analyticsSchemaSql('INTEGER'),
  },
];
