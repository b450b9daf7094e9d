import type { BatchAnswer } from '../../protocol/collector';
import type { Logger } from '../../util/logger';
import type { QueuedEvent } from './tab-store';

/** A 200 answer as read: the contract's `BatchAnswer`, each list checked before use. */
export type Answer = { [K in keyof BatchAnswer]?: unknown };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The ids a 200 answer settles for good: `accepted`, `duplicates`, and `failed` (each
 * logged with its reason). The collector names an event without a usable id by its
 * position in the batch: `#3`. Lists that are not lists count as empty.
 */
export function settledIds(answer: Answer, batch: QueuedEvent[], log: Logger): Set<unknown> {
  const done = new Set<unknown>([...list(answer.accepted), ...list(answer.duplicates)]);
  for (const failure of list(answer.failed) as ({ id?: unknown; reason?: unknown } | null)[]) {
    const named = String(failure?.id);
    const id = named[0] === '#' ? batch[+named.slice(1)]?.id : named;
    log(`Event ${id} refused: ${failure?.reason}.`);
    done.add(id);
  }
  return done;
}
