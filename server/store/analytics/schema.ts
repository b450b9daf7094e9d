/**
 * The analytics tables (migration 2), the same on both engines but for the type of 64-bit
 * integers: SQLite's `INTEGER` is already 64-bit, PostgreSQL needs `BIGINT`.
 */
export function analyticsSchemaSql(bigint: 'INTEGER' | 'BIGINT'): string {
  return `
      CREATE TABLE sessions (
        widget_id          TEXT    NOT NULL,
        session_id         TEXT    NOT NULL,
        visitor_id         TEXT    NOT NULL,
        day                INTEGER NOT NULL,
        first_ts           ${bigint} NOT NULL,
        last_ts            ${bigint} NOT NULL,
        events             INTEGER NOT NULL,
        clicks             INTEGER NOT NULL,
        opens              INTEGER NOT NULL,
        messages_sent      INTEGER NOT NULL,
        messages_received  INTEGER NOT NULL,
        errors             INTEGER NOT NULL,
        user_id            TEXT,
        user_ts            ${bigint},
        source_ts          ${bigint},
        landing_page       TEXT,
        referrer_domain    TEXT,
        utm_source         TEXT,
        utm_medium         TEXT,
        utm_campaign       TEXT,
        utm_term           TEXT,
        utm_content        TEXT,
        screen             TEXT,
        device_ts          ${bigint},
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
        first_ts    ${bigint} NOT NULL,
        last_day    INTEGER NOT NULL,
        PRIMARY KEY (widget_id, visitor_id)
      );

      CREATE TABLE daily_stats (
        widget_id            TEXT    NOT NULL,
        day                  INTEGER NOT NULL,
        shard                INTEGER NOT NULL,
        events               ${bigint} NOT NULL,
        clicks               ${bigint} NOT NULL,
        sessions             ${bigint} NOT NULL,
        visitors             ${bigint} NOT NULL,
        new_visitors         ${bigint} NOT NULL,
        opens                ${bigint} NOT NULL,
        messages_sent        ${bigint} NOT NULL,
        messages_received    ${bigint} NOT NULL,
        conversions          ${bigint} NOT NULL,
        errors               ${bigint} NOT NULL,
        session_duration_ms  ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, day, shard)
      );

      CREATE TABLE daily_event_names (
        widget_id  TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        shard      INTEGER NOT NULL,
        name       TEXT    NOT NULL,
        count      ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, day, shard, name)
      );

      CREATE TABLE daily_dimensions (
        widget_id  TEXT    NOT NULL,
        dimension  TEXT    NOT NULL,
        day        INTEGER NOT NULL,
        value      TEXT    NOT NULL,
        shard      INTEGER NOT NULL,
        sessions   ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, dimension, day, value, shard)
      );

      CREATE TABLE daily_returns (
        widget_id     TEXT    NOT NULL,
        day           INTEGER NOT NULL,
        previous_day  INTEGER NOT NULL,
        shard         INTEGER NOT NULL,
        visitors      ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, day, previous_day, shard)
      );`;
}

/**
 * Migration 9: `sessions` without its index by last event time. A fold rewrites the sessions it
 * extends, and every one moves `last_ts`: on PostgreSQL that index made each such update a new
 * row version written into all five indexes instead of a heap-only (HOT) update that touches
 * none: about half of a fold's time in the database. Active sessions are found through
 * their day (`sessions_day`): a session never spans two UTC days.
 */
export const DROP_SESSIONS_LAST_TS_INDEX_SQL = 'DROP INDEX sessions_last_ts;';
