/** The column types that differ between the engines. */
export interface EventsSchemaTypes {
  /** Milliseconds since the epoch: `INTEGER` on SQLite (64-bit), `BIGINT` on PostgreSQL. */
  integer: 'INTEGER' | 'BIGINT';
  /** `properties` and `context`: `TEXT` on SQLite, `JSONB` on PostgreSQL. */
  json: 'TEXT' | 'JSONB';
}

/**
 * The raw events table and its indexes (migration 1 of both engines), written once: the
 * engines differ only in the types of {@link EventsSchemaTypes}.
 */
export function eventsSchemaSql(types: EventsSchemaTypes): string {
  return `
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
        ts                 ${types.integer} NOT NULL,
        received_at        ${types.integer} NOT NULL,
        batch_id           TEXT,
        ip                 TEXT,
        user_agent         TEXT,
        properties         ${types.json},
        context            ${types.json},
        PRIMARY KEY (widget_id, event_id)
      );
      CREATE INDEX events_widget_ts ON events (widget_id, ts);
      CREATE INDEX events_widget_session ON events (widget_id, session_id, ts);
      CREATE INDEX events_received_at ON events (received_at);
    `;
}
