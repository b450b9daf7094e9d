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
    sql: `
      CREATE TABLE sessions (
        widget_id          TEXT    NOT NULL,
        session_id         TEXT    NOT NULL,
        visitor_id         TEXT    NOT NULL,
        day                INTEGER NOT NULL,
        first_ts           INTEGER  NOT NULL,
        last_ts            INTEGER  NOT NULL,
        events             INTEGER NOT NULL,
        clicks             INTEGER NOT NULL,
        opens              INTEGER NOT NULL,
        messages_sent      INTEGER NOT NULL,
        messages_received  INTEGER NOT NULL,
        errors             INTEGER NOT NULL,
        user_id            TEXT,
        user_ts            INTEGER,
        source_ts          INTEGER,
        landing_page       TEXT,
        referrer_domain    TEXT,
        utm_source         TEXT,
        utm_medium         TEXT,
        utm_campaign       TEXT,
        utm_term           TEXT,
        utm_content        TEXT,
        screen             TEXT,
        device_ts          INTEGER,
        device_type        TEXT,
        browser            TEXT,
        os                 TEXT,
        PRIMARY KEY (widget_id, session_id)
      );
      CREATE INDEX sessions_visitor ON sessions (widget_id, visitor_id, day);
      CREATE INDEX sessions_day ON sessions (widget_id, day, visitor_id);
      CREATE INDEX sessions_first_ts ON sessions (widget_id, first_ts, session_id);
      CREATE INDEX sessions_last_ts ON sessions (widget_id, last_ts);

      CREATE TABLE visitors (
        widget_id   TEXT    NOT NULL,
        visitor_id  TEXT    NOT NULL,
        first_ts    INTEGER  NOT NULL,
        last_day    INTEGER NOT NULL,
        PRIMARY KEY (widget_id, visitor_id)
      );

      CREATE TABLE daily_stats (
        widget_id            TEXT    NOT NULL,
        day                  INTEGER NOT NULL,
        shard                INTEGER NOT NULL,
        events               INTEGER NOT NULL,
        clicks               INTEGER NOT NULL,
        sessions             INTEGER NOT NULL,
        visitors             INTEGER NOT NULL,
        new_visitors         INTEGER NOT NULL,
        opens                INTEGER NOT NULL,
        messages_sent        INTEGER NOT NULL,
        messages_received    INTEGER NOT NULL,
        conversions          INTEGER NOT NULL,
        errors               INTEGER NOT NULL,
        session_duration_ms  INTEGER  NOT NULL,
        PRIMARY KEY (widget_id, day, shard)
      );

      CREATE TABLE daily_event_names (
        widget_id  TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        shard      INTEGER NOT NULL,
        name       TEXT    NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (widget_id, day, shard, name)
      );

      CREATE TABLE daily_dimensions (
        widget_id  TEXT    NOT NULL,
        dimension  TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        value      TEXT    NOT NULL,
        shard      INTEGER NOT NULL,
        sessions   INTEGER NOT NULL,
        PRIMARY KEY (widget_id, dimension, day, value, shard)
      );

      CREATE TABLE daily_returns (
        widget_id     TEXT    NOT NULL,
        day           INTEGER NOT NULL,
        previous_day  INTEGER NOT NULL,
        shard         INTEGER NOT NULL,
        visitors      INTEGER NOT NULL,
        PRIMARY KEY (widget_id, day, previous_day, shard)
      );`,
  },
];
