export { createEventQueue } from './event-queue';
export {
  DEFAULT_QUEUE_CONFIG,
  normalizeQueueConfig,
  MAX_EVENT_BYTES,
  MAX_EVENTS_PER_REQUEST,
  MAX_REQUEST_BYTES,
  KEEPALIVE_BYTES,
  HEARTBEAT_INTERVAL,
  STALE_AFTER,
} from './config';
export { retryDelay } from './backoff';
export { createTabStore } from './tab-store';
export type { EventQueue, EventQueueDeps, EventQueueOptions } from './types';
export type { QueueConfig } from './config';
export type { Locks, QueuedEvent, TabStore } from './tab-store';
