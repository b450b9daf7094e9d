import type { BatchAnswer } from '../../protocol/collector';
import type { REFUSAL_REASONS } from '../../protocol/delivery-health';
import type { Note } from './delivery-health';
import type { QueuedEvent } from './tab-store';

/** A 200 answer as read: the contract's `BatchAnswer`, each list checked before use. */
export type Answer = { [K in keyof BatchAnswer]?: unknown };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The ids a 200 answer settles for good: `accepted`, `duplicates`, and `failed`. The
 * collector names an event without a usable id by its position in the batch: `#3`. Lists
 * that are not lists count as empty. Each failure is noted under its reason's counter (the
 * words before a `:`), with the id and the whole reason.
 */
export function settledIds(answer: Answer, batch: QueuedEvent[], note: Note): Set<unknown> {
  const done = new Set<unknown>([...list(answer.accepted), ...list(answer.duplicates)]);
  for (const failure of list(answer.failed) as ({ id?: unknown; reason?: unknown } | null)[]) {
    const named = String(failure?.id);
    const id = named[0] === '#' ? batch[+named.slice(1)]?.id : named;
    // The collector's reasons are the contract's REFUSAL_REASONS, each a counter of its own.
    note(`refused_${String(failure?.reason).split(':')[0] as (typeof REFUSAL_REASONS)[number]}`, `${id} ${failure?.reason}`);
    done.add(id);
  }
  return done;
}
