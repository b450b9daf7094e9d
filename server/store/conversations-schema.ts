/** The column types that differ between the engines. */
export interface ConversationsSchemaTypes {
  /** Milliseconds since the epoch: `INTEGER` on SQLite (64-bit), `BIGINT` on PostgreSQL. */
  integer: 'INTEGER' | 'BIGINT';
}

/**
 * Conversations, their messages, webhook deliveries and each widget's webhook (migration 5 of
 * both engines), written once.
 *
 * - `conversations.last_seq` is the last message's `seq`: a new message takes `last_seq + 1`
 *   by updating its conversation's row in the message's transaction, which serialises writers
 *   of one conversation, so readers never see seq 6 committed before seq 5 (no gap for a
 *   reader going by `seq > cursor`).
 * - `agent_read_seq`: the last `seq` the team has read (the inbox's unread marks).
 * - `first_visitor_at` / `first_reply_at`: the first visitor message and the first agent or
 *   bot message after it (first response time).
 * - `secret_hash`: sha256 (hex) of the conversation's secret; the secret itself is never kept.
 * - `webhook_deliveries`: one row per visitor message of a widget with a webhook, written in
 *   the message's transaction (an outbox), claimed by one collector at a time
 *   (`claimed_by`, `claimed_until`), retried until `delivered_at`.
 * - `widgets.webhook_url`, `widgets.webhook_secret`: the widget's bot endpoint and the secret
 *   its deliveries are signed with (kept to sign with; shown once when set or rotated).
 */
export function conversationsSchemaSql(types: ConversationsSchemaTypes): string {
  return `
      CREATE TABLE conversations (
        id                TEXT    NOT NULL PRIMARY KEY,
        widget_id         TEXT    NOT NULL,
        anonymous_id      TEXT    NOT NULL,
        user_id           TEXT,
        status            TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
        secret_hash       TEXT    NOT NULL,
        created_at        ${types.integer} NOT NULL,
        last_activity_at  ${types.integer} NOT NULL,
        last_seq          INTEGER NOT NULL DEFAULT 0,
        agent_read_seq    INTEGER NOT NULL DEFAULT 0,
        first_visitor_at  ${types.integer},
        first_reply_at    ${types.integer}
      );
      CREATE INDEX conversations_widget_activity ON conversations (widget_id, last_activity_at);
      CREATE INDEX conversations_widget_visitor ON conversations (widget_id, anonymous_id);
      CREATE INDEX conversations_widget_created ON conversations (widget_id, created_at);

      CREATE TABLE conversation_messages (
        conversation_id  TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq              INTEGER NOT NULL CHECK (seq >= 1),
        id               TEXT    NOT NULL,
        author           TEXT    NOT NULL CHECK (author IN ('visitor', 'agent', 'bot')),
        text             TEXT    NOT NULL,
        created_at       ${types.integer} NOT NULL,
        PRIMARY KEY (conversation_id, seq),
        UNIQUE (conversation_id, id)
      );

      CREATE TABLE webhook_deliveries (
        conversation_id  TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        message_id       TEXT    NOT NULL,
        widget_id        TEXT    NOT NULL,
        created_at       ${types.integer} NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  ${types.integer} NOT NULL,
        claimed_by       TEXT,
        claimed_until    ${types.integer},
        delivered_at     ${types.integer},
        last_error       TEXT,
        PRIMARY KEY (conversation_id, message_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (delivered_at, next_attempt_at);

      ALTER TABLE widgets ADD COLUMN webhook_url TEXT;
      ALTER TABLE widgets ADD COLUMN webhook_secret TEXT;
    `;
}
