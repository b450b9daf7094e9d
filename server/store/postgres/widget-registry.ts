import type { WidgetRegistry } from '../../registry/types';
import { runAsync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { getWidgetWork, listWidgetsWork, putWidgetWork, rotateWebhookSecretWork } from '../widget-work';

/**
 * The widget registry on PostgreSQL, in autocommit on the pool: a save is one statement, whose
 * row lock makes a second save with the same expected revision re-read the row, see the
 * revision moved on, and change nothing. `guard` maps errors as the store does.
 */
export function createPostgresWidgetRegistry(
  execute: (statement: Statement) => Promise<StatementResult>,
  guard: <T>(work: () => Promise<T>) => Promise<T>,
): WidgetRegistry {
  const run = <T>(work: () => Work<T>): Promise<T> => guard(() => runAsync(work(), execute));
  return {
    getWidget: (widgetId) => run(() => getWidgetWork(widgetId)),
    listWidgets: (owner) => run(() => listWidgetsWork(owner)),
    putWidget: (put) => run(() => putWidgetWork(put, '?::jsonb')),
    rotateWebhookSecret: (widgetId, owner, secret) => run(() => rotateWebhookSecretWork(widgetId, owner, secret)),
  };
}
