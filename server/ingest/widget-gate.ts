import { ORIGIN_REFUSAL_ERROR, UNREGISTERED_REFUSAL_ERROR } from '../../lib/protocol/collector';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import type { WidgetCache } from '../registry';
import type { RefusalLog } from './refusal-log';

/** What {@link createWidgetGate} needs. */
export interface WidgetGateOptions {
  widgets: Pick<WidgetCache, 'getWidget'>;
  /** `FRAMEWIRE_REQUIRE_REGISTRATION`: refuse widgets not in the registry. */
  requireRegistration: boolean;
  refusals: RefusalLog;
}

/** Decides, from the registry, whether a batch of `widgetId` from page `origin` may be ingested. */
export type WidgetGate = (widgetId: string, origin: string | null) => Promise<void>;

/**
 * The registry's say in ingestion, after the collector-wide origin check (CORS) and the
 * envelope, before anything is stored.
 *
 * 1. No `Origin` (a server, a tool, a test) and registration not required: nothing to check,
 *    no lookup. `allowedOrigins` keeps other sites' pages from sending a widget's events from
 *    visitors' browsers; a client that is not a browser can send any `Origin` it likes, so
 *    checking it would stop no one.
 * 2. The widget's document, through the cache (a store failure is a 503, retried).
 * 3. Not registered: 403 `widget_not_registered` when registration is required, else on as before.
 * 4. Registered with a non-empty `allowedOrigins` and an `Origin` not in it: 403
 *    `origin_not_allowed`. Empty `allowedOrigins`: any origin.
 * Refusals are counted and logged (rate-limited); the CORS headers set before stay on the
 * answer, so the page can read why.
 */
export function createWidgetGate(options: WidgetGateOptions): WidgetGate {
  const { widgets, requireRegistration, refusals } = options;
  return async (widgetId, origin) => {
    if (origin === null && !requireRegistration) return;
    const widget = await widgets.getWidget(widgetId);
    if (widget === null) {
      if (!requireRegistration) return;
      refusals.record('notRegistered', widgetId, origin);
      throw new CollectorError(COLLECTOR_ERROR_CODES.WIDGET_NOT_REGISTERED, UNREGISTERED_REFUSAL_ERROR);
    }
    if (origin === null || widget.allowedOrigins.length === 0 || widget.allowedOrigins.includes(origin)) return;
    refusals.record('originNotAllowed', widgetId, origin);
    throw new CollectorError(COLLECTOR_ERROR_CODES.WIDGET_ORIGIN_NOT_ALLOWED, ORIGIN_REFUSAL_ERROR);
  };
}
