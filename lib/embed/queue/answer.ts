import type { BatchAnswer } from '../../protocol/collector';
import type { REFUSAL_REASONS } from '../../protocol/delivery-health';
import type { Logger } from '../../util/logger';
import type { DeliveryHealth } from './delivery-health';
import type { QueuedEvent } from './tab-store';

/** A 200 answer as read: the contract's `BatchAnswer`, each list checked before use. */
export type Answer = { [K in keyof BatchAnswer]?: unknown };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The ids a 200 answer settles for good: `accepted`, `duplicates`, and `failed` (each
 * logged with its reason). The collector names an event without a usable id by its
 * position in the batch: `#3`. Lists that are not lists count as empty. Each failure is
 * counted in `health` by its reason (the words before a `:`), and `health` learns whether its
 * report was settled.
 */
export function settledIds(answer: Answer, batch: QueuedEvent[], log: Logger, health?: DeliveryHealth): Set<unknown> {
  const done = new Set<unknown>([...list(answer.accepted), ...list(answer.duplicates)]);
  for (const failure of list(answer.failed) as ({ id?: unknown; reason?: unknown } | null)[]) {
    const named = String(failure?.id);
    const id = named[0] === '#' ? batch[+named.slice(1)]?.id : named;
    log(`Event ${id} refused: ${failure?.reason}.`);
    // The collector's reasons are the contract's REFUSAL_REASONS, each a counter of its own.
    health?.count(`refused_${String(failure?.reason).split(':')[0] as (typeof REFUSAL_REASONS)[number]}`);
    done.add(id);
  }
  health?.done(done);
  return done;
}
