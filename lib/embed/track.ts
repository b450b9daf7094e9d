import { CONTEXT_FIELDS, UTM_FIELDS } from '../protocol/collector';
import { ErrorCode } from '../protocol/errors';
import type { HostResult, TrackEvent } from '../protocol/host-api';
import { isTrackEvent } from '../protocol/methods';
import { storableText, utf8Length } from '../protocol/storable';
import { MAX_EVENT_BYTES } from './queue/config';
import type { EventSink } from './consent';

/** The host side of the `track` method. */
export type Track = (events: TrackEvent[]) => HostResult<{ queued: number }>;

/**
 * What only the host page knows, added to each event: the browser, and for analytics the
 * page (origin and path: a query string or hash may carry tokens or e-mail addresses), the
 * referrer, the `utm_*` parameters of the page's URL and the screen size. Each value is cut
 * to the contract's length and rid of NUL and unpaired surrogates (`utm_source=%00` would
 * otherwise make the collector refuse the event).
 */
function pageContext(win: Window): Record<string, unknown> {
  const { location, document, navigator, screen } = win;
  const query = new URLSearchParams(location.search);
  const utm: Record<string, string> = {};
  for (const [key, field] of Object.entries(UTM_FIELDS)) {
    const value = storableText(query.get(`utm_${key}`) ?? '', field.max);
    if (value) utm[key] = value;
  }
  return {
    page: storableText(location.origin + location.pathname, CONTEXT_FIELDS.page.max),
    referrer: storableText(document.referrer, CONTEXT_FIELDS.referrer.max),
    utm,
    // Two numbers and an x: always storable, and far within CONTEXT_FIELDS.screen.
    screen: `${screen.width}x${screen.height}`,
    userAgent: storableText(navigator.userAgent, CONTEXT_FIELDS.userAgent.max),
  };
}

/**
 * Feeds `track` events into the two queues: clicks as the collector's click events,
 * analytics events with the page's context and, once the page has called `identify`, its
 * `userId` (which wins over one the widget sent).
 *
 * 1. Every event, with what the host adds, must fit the contract's `maxEventBytes` (UTF-8
 *    bytes of its JSON), else `QUOTA_EXCEEDED`.
 * 2. Every event must pass the `track` gate's check (`isTrackEvent`), else
 *    `INVALID_MESSAGE`: calls from the page (`identify`) do not pass the gate.
 * 3. Only then is any queued: a call is queued whole or not at all.
 *
 * What the host adds is valid by construction (cut and cleaned context, a checked user
 * id), so every event queued here is one the collector accepts. Without queues (no
 * `collectorUrl`) every call answers `INVALID_CONFIG`.
 */
export function createTrack(
  queues: { clicks: EventSink; analytics: EventSink } | null,
  win: Window = window,
  userId: () => string | null = () => null,
): Track {
  return (events) => {
    if (queues === null) {
      return { ok: false, code: ErrorCode.INVALID_CONFIG, message: 'No collectorUrl configured.' };
    }
    const context = pageContext(win);
    const user = userId();
    const items = events.map(({ type, ...event }): [EventSink, Record<string, unknown>] =>
      type === 'click'
        ? [queues.clicks, { ...event, userAgent: context.userAgent }]
        : [queues.analytics, user ? { ...event, userId: user, context } : { ...event, context }],
    );
    if (items.some(([, event]) => utf8Length(JSON.stringify(event)) > MAX_EVENT_BYTES)) {
      return { ok: false, code: ErrorCode.QUOTA_EXCEEDED, message: 'Event too large.' };
    }
    if (!events.every(isTrackEvent)) {
      return { ok: false, code: ErrorCode.INVALID_MESSAGE, message: 'Invalid event.' };
    }
    let queued = 0;
    for (const [queue, event] of items) if (queue.enqueue(event)) queued++;
    return { ok: true, value: { queued } };
  };
}
