import { ErrorCode } from '../protocol/errors';
import type { HostResult, TrackEvent } from '../protocol/host-api';
import { MAX_EVENT_CHARS } from './queue/config';
import type { EventQueue } from './queue/event-queue';

/** The host side of the `track` method. */
export type Track = (events: TrackEvent[]) => HostResult<{ queued: number }>;

const UTM_KEYS = 'source medium campaign term content'.split(' ');

/**
 * What only the host page knows, added to each event: the browser, and for analytics the
 * page (origin and path: a query string or hash may carry tokens or e-mail addresses), the
 * referrer, the `utm_*` parameters of the page's URL and the screen size.
 */
function pageContext(win: Window): Record<string, unknown> {
  const { location, document, navigator, screen } = win;
  const query = new URLSearchParams(location.search);
  const utm: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const value = query.get(`utm_${key}`);
    if (value) utm[key] = value.slice(0, 256);
  }
  return {
    page: (location.origin + location.pathname).slice(0, 2048),
    referrer: document.referrer.slice(0, 2048),
    utm,
    screen: `${screen.width}x${screen.height}`,
    userAgent: navigator.userAgent.slice(0, 1024),
  };
}

/**
 * Feeds validated `track` events into the two queues: clicks as the collector's click
 * events, analytics events with the page's context and, once the page has called
 * `identify`, its `userId` (which wins over one the widget sent). Every event is checked
 * against the queue's size limit before any is queued, so a call is queued whole or not at
 * all. Without queues (no `collectorUrl`) every call answers `INVALID_CONFIG`.
 */
export function createTrack(
  queues: { clicks: EventQueue; analytics: EventQueue } | null,
  win: Window = window,
  userId: () => string | null = () => null,
): Track {
  return (events) => {
    if (queues === null) {
      return { ok: false, code: ErrorCode.INVALID_CONFIG, message: 'No collectorUrl configured.' };
    }
    const context = pageContext(win);
    const user = userId();
    const items = events.map(({ type, ...event }): [EventQueue, Record<string, unknown>] =>
      type === 'click'
        ? [queues.clicks, { ...event, userAgent: context.userAgent }]
        : [queues.analytics, user ? { ...event, userId: user, context } : { ...event, context }],
    );
    if (items.some(([, event]) => JSON.stringify(event).length > MAX_EVENT_CHARS)) {
      return { ok: false, code: ErrorCode.QUOTA_EXCEEDED, message: 'Event too large.' };
    }
    let queued = 0;
    for (const [queue, event] of items) if (queue.enqueue(event)) queued++;
    return { ok: true, value: { queued } };
  };
}
