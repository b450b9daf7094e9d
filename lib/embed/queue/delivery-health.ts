import {
  DELIVERY_EVENT,
  DELIVERY_REPORT_INTERVAL_MS,
  OLDEST_PENDING_KEY,
  SLOW_PENDING_MS,
} from '../../protocol/delivery-health';
import type { DeliveryCounter, DeliveryReport } from '../../protocol/delivery-health';
import { uuidv7 } from '../../util/ids';
import type { QueuedEvent } from './tab-store';

/** Counts one of the delivery counters and says it in the queue's debug log, with a detail. */
export type Note = (counter: DeliveryCounter, detail: unknown) => void;

/** The delivery counters of one page, shared by its queues (see `DELIVERY_COUNTERS`). */
export interface DeliveryHealth {
  /** Adds one to a counter. */
  count(key: DeliveryCounter): void;
  /**
   * A queue makes a batch to send whose oldest event was recorded at `timestamp`: its age
   * is kept (the report's `oldest_ms` is the largest). With `carry` (the analytics queue),
   * returns the `$delivery` event to add to that batch: the one not confirmed yet (same id,
   * same figures: a resend is deduplicated), else a new one when the last was made at least
   * `DELIVERY_REPORT_INTERVAL_MS` ago and there is something to say; else `undefined`.
   */
  batch(timestamp: number, carry?: boolean): QueuedEvent | undefined;
  /**
   * Ids the collector settled (accepted, duplicate or failed): when the report is among
   * them, it is done. Until then `batch` gives it again.
   */
  done(ids: Set<unknown>): void;
}

/**
 * Counters in memory, per page: a report lost with the page (closed before its batch was
 * confirmed) is lost; persisting it would cost every page a storage write per count. A new
 * report takes the counters over and they start again from zero; the report keeps them
 * until the collector confirms it, so a failed batch loses nothing.
 */
export function createDeliveryHealth(): DeliveryHealth {
  let counts: DeliveryReport = {};
  let counted = false;
  let oldest = 0;
  let pending: QueuedEvent | undefined;
  // The epoch: the first report may go at once.
  let last = 0;

  return {
    count(key) {
      counts[key] = (counts[key] ?? 0) + 1;
      counted = true;
    },
    batch(timestamp, carry) {
      const now = Date.now();
      oldest = Math.max(oldest, now - timestamp);
      if (!carry) return undefined;
      // Worth a report: a counter, or an event that waited long.
      if (!pending && (counted || oldest >= SLOW_PENDING_MS) && now - last >= DELIVERY_REPORT_INTERVAL_MS) {
        last = now;
        // The collector caps it at MAX_PENDING_AGE_MS, and fills in the session id.
        counts[OLDEST_PENDING_KEY] = oldest;
        pending = { id: uuidv7(), timestamp: now, name: DELIVERY_EVENT, properties: counts };
        counts = {};
        counted = false;
        oldest = 0;
      }
      return pending;
    },
    done(ids) {
      if (ids.has(pending?.id)) pending = undefined;
    },
  };
}
