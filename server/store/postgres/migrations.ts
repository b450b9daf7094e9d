import { analyticsSchemaSql } from '../analytics/schema';

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
        ts                 BIGINT  NOT NULL,
        received_at        BIGINT  NOT NULL,
        batch_id           TEXT,
        ip                 TEXT,
        user_agent         TEXT,
        properties         JSONB,
        context            JSONB,
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
    sql: analyticsSchemaSql('BIGINT'),
  },
];
