import type { WidgetRegistry } from '../../registry/types';
import { runSync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';
import { getWidgetWork, listWidgetsWork, putWidgetWork, rotateWebhookSecretWork } from '../widget-work';

/**
 * The widget registry on SQLite: each call one synchronous statement (two when a save is
 * refused) on the store's one connection, so nothing runs in between.
 * `guard` turns a closed store or a driver error into the store's `CollectorError`.
 */
export function createSqliteWidgetRegistry(
  execute: (statement: Statement) => StatementResult,
  guard: <T>(work: () => T) => Promise<T>,
): WidgetRegistry {
  const run = <T>(work: Work<T>): Promise<T> => guard(() => runSync(work, execute));
  return {
    getWidget: (widgetId) => run(getWidgetWork(widgetId)),
    listWidgets: (owner) => run(listWidgetsWork(owner)),
    putWidget: (put) => run(putWidgetWork(put, '?')),
    rotateWebhookSecret: (widgetId, owner, secret) => run(rotateWebhookSecretWork(widgetId, owner, secret)),
  };
}
