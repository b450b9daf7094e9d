import type { WebhookOutbox } from '../../webhooks/types';
import { runSync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { claimDueDeliveriesWork, finishDeliveryWork } from '../webhook-work';

/**
 * The webhook outbox on SQLite: one process writes the file, and each call runs synchronously
 * on its one connection, so a claim is never interleaved with another.
 */
export function createSqliteWebhookOutbox(
  execute: (statement: Statement) => StatementResult,
  guard: <T>(work: () => T) => Promise<T>,
): WebhookOutbox {
  const run = <T>(work: Work<T>): Promise<T> => guard(() => runSync(work, execute));
  return {
    claimDueDeliveries: (claim) => run(claimDueDeliveriesWork(claim, '')),
    finishDelivery: (key, claimer, outcome) => run(finishDeliveryWork(key, claimer, outcome)),
  };
}
