import type { ConversationStatus, MessageAuthor, WebhookDelivery } from '../../lib/protocol/conversations';
import type { ClaimedDelivery, DeliveryClaim, DeliveryOutcome } from '../webhooks/types';
import { GIVEN_UP_AT } from '../webhooks/types';
import { exec, rows } from './sql-runner';
import type { Work } from './sql-runner';

/*
 * The webhook outbox's SQL (`webhook_deliveries`, migration 5), written once for both engines.
 * Claims are one `UPDATE … RETURNING`: on PostgreSQL the rows are picked by a subselect with
 * `FOR UPDATE SKIP LOCKED`, so concurrent collectors pick disjoint rows without waiting; SQLite
 * has one writing process, whose statements never interleave.
 */

/** `FOR UPDATE SKIP LOCKED` on PostgreSQL, nothing on SQLite. */
export type RowLocking = '' | 'FOR UPDATE SKIP LOCKED';

const DUE = `delivered_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)`;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toClaimed(record: Record<string, unknown>): ClaimedDelivery {
  const widgetId = String(record.widget_id);
  const complete = record.seq !== null && record.seq !== undefined && record.status !== null && record.status !== undefined;
  const payload: WebhookDelivery | null = complete
    ? {
        type: 'message.created',
        widgetId,
        conversation: {
          id: String(record.conversation_id),
          anonymousId: String(record.anonymous_id),
          userId: text(record.user_id),
          status: String(record.status) as ConversationStatus,
        },
        message: {
          id: String(record.message_id),
          conversationId: String(record.conversation_id),
          author: String(record.author) as MessageAuthor,
          text: String(record.text),
          createdAt: Number(record.message_created_at),
          seq: Number(record.seq),
        },
      }
    : null;
  return {
    conversationId: String(record.conversation_id),
    messageId: String(record.message_id),
    widgetId,
    attempts: Number(record.attempts),
    createdAt: Number(record.created_at),
    payload,
    url: text(record.webhook_url),
    secret: text(record.webhook_secret),
  };
}

/**
 * Claims due deliveries and loads them.
 *
 * 1. One `UPDATE … SET claimed_by, claimed_until WHERE (key) IN (due rows, oldest due first,
 *    LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING key`: committed at once (autocommit), so the
 *    lease is visible to every other collector before anything is sent.
 * 2. The claimed rows, by key, with their message, conversation and widget (left joins: a row
 *    whose message was deleted comes back without a payload, and is given up).
 */
export function* claimDueDeliveriesWork(claim: DeliveryClaim, locking: RowLocking): Work<ClaimedDelivery[]> {
  const until = claim.now + claim.leaseMs;
  const claimed = yield rows(
    `UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ?
     WHERE (conversation_id, message_id) IN (
       SELECT conversation_id, message_id FROM webhook_deliveries
       WHERE ${DUE}
       ORDER BY next_attempt_at LIMIT ? ${locking})
     RETURNING conversation_id, message_id`,
    claim.claimer,
    until,
    claim.now,
    claim.now,
    claim.limit,
  );
  if (claimed.rows.length === 0) return [];
  // By the keys this claim returned: another pass of the same collector may hold others.
  const keys = claimed.rows.flatMap((row) => [String(row.conversation_id), String(row.message_id)]);
  const loaded = yield rows(
    `SELECT d.conversation_id, d.message_id, d.widget_id, d.attempts, d.created_at,
            m.seq, m.author, m.text, m.created_at AS message_created_at,
            c.anonymous_id, c.user_id, c.status,
            w.webhook_url, w.webhook_secret
     FROM webhook_deliveries d
     LEFT JOIN conversation_messages m ON m.conversation_id = d.conversation_id AND m.id = d.message_id
     LEFT JOIN conversations c ON c.id = d.conversation_id
     LEFT JOIN widgets w ON w.id = d.widget_id
     WHERE ${claimed.rows.map(() => '(d.conversation_id = ? AND d.message_id = ?)').join(' OR ')}
     ORDER BY d.next_attempt_at, d.created_at`,
    ...keys,
  );
  return loaded.rows.map(toClaimed);
}

/** Records one attempt (see `WebhookOutbox.finishDelivery`). */
export function* finishDeliveryWork(key: Pick<ClaimedDelivery, 'conversationId' | 'messageId'>, claimer: string, outcome: DeliveryOutcome): Work<void> {
  if (outcome.kind === 'delivered') {
    yield exec(
      `UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL, last_error = NULL
       WHERE conversation_id = ? AND message_id = ? AND delivered_at IS NULL`,
      outcome.at,
      key.conversationId,
      key.messageId,
    );
    return;
  }
  const next = outcome.kind === 'retry' ? outcome.nextAttemptAt : GIVEN_UP_AT;
  yield exec(
    `UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL
     WHERE conversation_id = ? AND message_id = ? AND claimed_by = ? AND delivered_at IS NULL`,
    outcome.attempts,
    next,
    outcome.error.slice(0, 500),
    key.conversationId,
    key.messageId,
    claimer,
  );
}
