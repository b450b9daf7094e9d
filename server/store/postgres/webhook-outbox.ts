import type { WebhookOutbox } from '../../webhooks/types';
import { runAsync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { claimDueDeliveriesWork, finishDeliveryWork } from '../webhook-work';

/**
 * The webhook outbox on PostgreSQL, in autocommit on the pool: a claim is one statement whose
 * rows are picked with `FOR UPDATE SKIP LOCKED`, committed before anything is sent, so two
 * collectors never claim one row while its lease holds.
 */
export function createPostgresWebhookOutbox(
  execute: (statement: Statement) => Promise<StatementResult>,
  guard: <T>(work: () => Promise<T>) => Promise<T>,
): WebhookOutbox {
  const run = <T>(work: () => Work<T>): Promise<T> => guard(() => runAsync(work(), execute));
  return {
    claimDueDeliveries: (claim) => run(() => claimDueDeliveriesWork(claim, 'FOR UPDATE SKIP LOCKED')),
    finishDelivery: (key, claimer, outcome) => run(() => finishDeliveryWork(key, claimer, outcome)),
  };
}
