import type { WebhookDelivery } from '../../lib/protocol/conversations';

/** A claim of due deliveries by one collector (`UPDATE … SET claimed_by, claimed_until`). */
export interface DeliveryClaim {
  /** The claiming collector's instance id. */
  claimer: string;
  /** The clock (ms): rows with `next_attempt_at <= now` and no live lease are due. */
  now: number;
  /** How long the claim holds (ms); past it, another collector may take the row. */
  leaseMs: number;
  /** Most rows claimed at once. */
  limit: number;
}

/** One claimed delivery with everything needed to send it. */
export interface ClaimedDelivery {
  conversationId: string;
  messageId: string;
  widgetId: string;
  /** Attempts made before this one. */
  attempts: number;
  /** When the row was written (ms): deliveries are given up this long after. */
  createdAt: number;
  /** The body, or `null` when the message or its conversation is gone (deleted). */
  payload: WebhookDelivery | null;
  /** The widget's webhook now, or `null` when it was removed. */
  url: string | null;
  secret: string | null;
}

/** How an attempt ended. */
export type DeliveryOutcome =
  | { kind: 'delivered'; at: number }
  /** Try again at `nextAttemptAt`. */
  | { kind: 'retry'; attempts: number; nextAttemptAt: number; error: string }
  /** Never again: kept with its reason (`last_error`) and `next_attempt_at` at {@link GIVEN_UP_AT}. */
  | { kind: 'given_up'; attempts: number; error: string };

/** `next_attempt_at` of a delivery given up: never due again. */
export const GIVEN_UP_AT = Number.MAX_SAFE_INTEGER;

/**
 * The webhook outbox (`webhook_deliveries`), as the dispatcher uses it. Rows are written by
 * the conversation store in each visitor message's transaction; the dispatcher claims, sends
 * and settles them. One contract for both engines.
 */
export interface WebhookOutbox {
  /**
   * Claims up to `limit` due rows for `claimer` in one statement (PostgreSQL: `FOR UPDATE SKIP
   * LOCKED`, so two collectors never claim the same row) and loads what sending them needs.
   */
  claimDueDeliveries(claim: DeliveryClaim): Promise<ClaimedDelivery[]>;
  /**
   * Records an attempt. A retry or give-up only applies while `claimer` still holds the row
   * (another collector may have taken over after the lease); a delivery always applies.
   */
  finishDelivery(delivery: Pick<ClaimedDelivery, 'conversationId' | 'messageId'>, claimer: string, outcome: DeliveryOutcome): Promise<void>;
}
