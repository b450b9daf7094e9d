import { COLLECTOR_LIMITS } from '../../protocol/collector';
import { normalizeOptions } from '../../util/normalize-options';
import type { OptionsOf } from '../../util/normalize-options';

/**
 * Settings of one persistent batch queue. The seed's names (`maxBatchSize`, `maxBatchDelay`,
 * `initialRetryDelay`, `maxRetryDelay`, `maxRetries`, `storageKey`) are kept; times are in
 * milliseconds, sizes in UTF-16 characters unless named bytes.
 */
export interface QueueConfig {
  /** Send as soon as this many events wait. @default 10 */
  maxBatchSize: number;
  /** Send at the latest this long after the first waiting event. @default 5000 */
  maxBatchDelay: number;
  /** First backoff wait; it doubles per failure in a row (2, 4, 8, 16, 30, 30 … s). @default 2000 */
  initialRetryDelay: number;
  /** Longest backoff wait. @default 30000 */
  maxRetryDelay: number;
  /**
   * Failed sends in a row after which the queue stops retrying on its own clock. The events
   * are kept all the same: the next trigger (`online`, hiding the page, a reload,
   * `flush()`) starts again. No event is ever dropped for having failed: a transient outage
   * must not lose clicks. @default Infinity (retry every `maxRetryDelay` for as long as it takes)
   */
  maxRetries: number;
  /**
   * Deadline of one collector request, answer body included: past it the request is
   * aborted and counted as a failed send (backoff, same ids). An answer that comes later is
   * never read; the resend is harmless because the collector deduplicates by id.
   * @default 10000
   */
  requestTimeout: number;
  /** Longest wait a `Retry-After` header can impose. @default 300000 */
  maxRetryAfter: number;
  /** Random extra wait, as a fraction of each backoff (0.1 = up to +10 %); 0 in tests. @default 0.1 */
  jitter: number;
  /** localStorage key prefix; each tab keeps its events under `<storageKey>:<tabId>`. @default 'srv_click_queue' */
  storageKey: string;
  /** Most events one tab keeps; beyond, the oldest are dropped and counted. @default 500 */
  maxEvents: number;
  /** Most characters one tab's stored queue may take; beyond, the oldest are dropped. @default 131072 */
  maxBytes: number;
}

/** Read-only by its type: freezing it would cost the embed script bytes. */
export const DEFAULT_QUEUE_CONFIG: Readonly<QueueConfig> = {
  maxBatchSize: 10,
  maxBatchDelay: 5000,
  initialRetryDelay: 2000,
  maxRetryDelay: 30000,
  maxRetries: Infinity,
  requestTimeout: 10000,
  maxRetryAfter: 300000,
  jitter: 0.1,
  storageKey: 'srv_click_queue',
  maxEvents: 500,
  maxBytes: 131072,
};

/** Defaults merged with the given options; `undefined` means "use the default". */
export function normalizeQueueConfig(options?: OptionsOf<QueueConfig>): QueueConfig {
  return normalizeOptions(DEFAULT_QUEUE_CONFIG, options);
}

/** Largest event accepted, in UTF-8 bytes of its JSON, with what the host adds: the collector contract's. */
export const MAX_EVENT_BYTES = COLLECTOR_LIMITS.maxEventBytes;
/** Most events per request: the collector contract's. */
export const MAX_EVENTS_PER_REQUEST = COLLECTOR_LIMITS.maxEventsPerRequest;
/** Largest request body in UTF-8 bytes: the collector contract's. */
export const MAX_REQUEST_BYTES = COLLECTOR_LIMITS.maxRequestBytes;
/**
 * Largest body sent with `keepalive` when the page is hidden or unloaded: browsers give all
 * keepalive requests of a page 64 KB together, and the two queues share them.
 */
export const KEEPALIVE_BYTES = 30000;
/** How often a tab refreshes its heartbeat and looks for the queues of closed tabs (ms). */
export const HEARTBEAT_INTERVAL = 5000;
/**
 * Without Web Locks, a tab whose heartbeat is older than this is taken for closed and its
 * events are adopted (ms). Above a minute, because browsers may run the timers of hidden
 * tabs only once a minute; a tab that unloads normally says so at once (`pagehide`).
 */
export const STALE_AFTER = 120000;
