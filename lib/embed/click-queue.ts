import { createEventQueue } from './queue/event-queue';
import type { EventQueue, EventQueueDeps, EventQueueOptions } from './queue/event-queue';

/** Options of a queue bound to a collector: its base URL instead of an endpoint. */
export type CollectorQueueOptions = Omit<EventQueueOptions, 'url'> & { collectorUrl: string };

/** The offer-click queue (seed `ClickQueue`): one {@link EventQueue} configured for clicks. */
export type ClickQueue = EventQueue;

/** Where the analytics queue keeps its events (the click queue keeps `srv_click_queue`). */
export const ANALYTICS_STORAGE_KEY = 'srv_event_queue';

const endpoint = (base: string, path: string): string => base.replace(/\/+$/, '') + path;

/** Clicks -> `POST <collectorUrl>/api/track/click/batch`, stored under `srv_click_queue`. */
export function createClickQueue(options: CollectorQueueOptions, deps?: EventQueueDeps): ClickQueue {
  return createEventQueue({ ...options, url: endpoint(options.collectorUrl, '/api/track/click/batch') }, deps);
}

/** Analytics events -> `POST <collectorUrl>/api/analytics/events/batch`, stored under `srv_event_queue`. */
export function createAnalyticsQueue(options: CollectorQueueOptions, deps?: EventQueueDeps): EventQueue {
  return createEventQueue(
    { storageKey: ANALYTICS_STORAGE_KEY, ...options, url: endpoint(options.collectorUrl, '/api/analytics/events/batch') },
    deps,
  );
}
