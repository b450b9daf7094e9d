import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { AnalyticsReader } from '../analytics/types';
import { ANALYTICS_WIDGET_PREFIX, noStore } from './analytics-read';
import { parseRequestPart } from './parse-request-part';
import { visitorParamsSchema } from './privacy-params';

/** What the privacy routes need. */
export interface PrivacyDeps {
  store: Pick<AnalyticsReader, 'deleteVisitor'>;
  /** The same guard as the read API (401/404). */
  authenticate: onRequestAsyncHookHandler;
}

/**
 * `DELETE /api/analytics/widget/:widgetId/users/:id`: erases every event, session and
 * conversation (with its messages) of one anonymous id, user id or client session id of the
 * widget (a data subject's erasure request).
 * Answers 200 `VisitorDeletion` with the counts, zeros when nothing matched, so the call can be
 * repeated safely. Daily counters and rollups already summed (offers shown and clicked
 * included) are kept: they hold no id.
 */
export function registerPrivacyRoutes(app: FastifyInstance, deps: PrivacyDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);
    scope.addHook('onRequest', deps.authenticate);

    scope.delete(`${ANALYTICS_WIDGET_PREFIX}/users/:id`, async (request) => {
      const { widgetId, id } = parseRequestPart(visitorParamsSchema, request.params, 'path');
      const deletion = await deps.store.deleteVisitor({ widgetId, id });
      // Counts only: the id itself is what is being forgotten.
      const { deletedEvents, deletedSessions, deletedConversations, deletedMessages } = deletion;
      request.log.info({ widgetId, deletedEvents, deletedSessions, deletedConversations, deletedMessages }, 'visitor data deleted');
      return deletion;
    });
  });
}
