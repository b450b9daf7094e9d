import type { OptionsOf } from '../../util/normalize-options';
import type { Logger } from '../../util/logger';
import type { QueueConfig } from './config';
import type { DeliveryHealth } from './delivery-health';
import type { Locks } from './tab-store';

/** Where a queue sends and what it may change. */
export type EventQueueOptions = OptionsOf<QueueConfig> & {
  /** The collector's batch endpoint, e.g. `https://c.example/api/track/click/batch`. */
  url: string;
  widgetId: string;
};

/** What the queue takes from its surroundings; tests pass fakes. */
export interface EventQueueDeps {
  /** Source of `navigator`, `document`, listeners and `fetch`. @default window */
  window?: Window;
  fetch?: typeof fetch;
  /** `null` = storage unavailable. @default the window's localStorage, memory where it throws */
  storage?: Storage | null;
  /** Web Locks; without them (jsdom, old browsers) the heartbeat fallback runs. @default navigator.locks */
  locks?: Locks;
  log?: Logger;
  random?: () => number;
  /** The page's delivery counters, shared by its queues: the queue counts its drops, refusals and retries into them. */
  health?: DeliveryHealth;
  /**
   * Adds the page's `$delivery` report to a batch it sends anyway (see `DeliveryHealth.report`):
   * for the analytics queue, whose endpoint takes analytics events. @default false
   */
  reports?: boolean;
}

/** A persistent, batching, retrying queue of events for one collector endpoint. */
export interface EventQueue {
  /**
   * Stores the event (in localStorage before returning) and schedules its sending. An event
   * without `id`/`timestamp` gets a UUIDv7 and the current time; one with an id already
   * held is ignored, and so is every event once the collector has refused the page's
   * origin (counted by `refused()`). Returns true when the event was added. The size of an event is the
   * caller's to check (`track` refuses events over `MAX_EVENT_BYTES`); the byte bound
   * protects the storage in any case.
   */
  enqueue(event: Record<string, unknown>): boolean;
  /** Sends everything that waits now, batch after batch; resolves when done or failed. */
  flush(): Promise<void>;
  /** Events this tab holds, sent or not yet confirmed. */
  size(): number;
  /** Events dropped by the count and byte bounds. */
  dropped(): number;
  /**
   * Events dropped because the collector refused the page's origin (a 403
   * `origin_not_allowed`): those it held then, and those given to `enqueue` after it, for
   * the rest of the page view.
   */
  refused(): number;
  /** Stops timers, listeners and requests; pending events stay stored. */
  destroy(): void;
}
