import { ErrorCode, FramewireError } from '../protocol/errors';
import { hasExactKeys } from '../protocol/guards';
import { ANALYTICS_STORAGE_KEY } from './click-queue';
import { DEFAULT_QUEUE_CONFIG } from './queue/config';
import type { EventQueue } from './queue/types';

/** What `framewire('consent', …)` accepts: the visitor's decision on analytics, as the page's consent manager knows it. */
export interface ConsentChoice {
  analytics: boolean;
}

/** Where the consent gate puts events: what `track` needs of a queue. */
export type EventSink = Pick<EventQueue, 'enqueue'>;

/** The two queues of one embed. */
export interface Queues {
  clicks: EventQueue;
  analytics: EventQueue;
}

/** The two queues behind the page's consent decision. */
export interface ConsentGate {
  readonly clicks: EventSink;
  readonly analytics: EventSink;
  /** Applies the page's decision (see {@link createConsentGate}). */
  decide(analytics: boolean): void;
  /** Stops the queues, if running; held events are forgotten, stored ones stay for the next page. */
  destroy(): void;
}

/**
 * Checks `consent`'s argument, exactly `{ analytics: true }` or `{ analytics: false }`, and
 * returns the decision.
 * @throws FramewireError `INVALID_CONFIG` saying what is expected.
 */
export function parseConsent(choice: unknown): boolean {
  if (!hasExactKeys(choice, ['analytics']) || typeof choice.analytics !== 'boolean') {
    throw new FramewireError(ErrorCode.INVALID_CONFIG, 'consent: analytics must be true or false');
  }
  return choice.analytics;
}

/** The `storageKey`s of both queues: every tab keeps its events under `<storageKey>:<tabId>`. */
const STORAGE_KEYS: string[] = [DEFAULT_QUEUE_CONFIG.storageKey, ANALYTICS_STORAGE_KEY];

/** Removes every stored event of both queues, this tab's and other tabs'. */
function forgetStored(storage: () => Storage): void {
  try {
    const area = storage();
    for (const key of Object.keys(area)) if (STORAGE_KEYS.includes(key.split(':')[0] ?? '')) area.removeItem(key);
  } catch {
    // No storage: nothing was stored.
  }
}

/**
 * Keeps analytics events and offer clicks on the host page until the visitor has agreed.
 *
 * 1. Undecided (`granted` undefined: `consentRequired`, or the browser's Global Privacy
 *    Control, and no decision yet): the queues are not started, so nothing is sent, not
 *    even what earlier pages stored. Events are held in memory only (storing them would be
 *    processing before consent), at most `maxEvents` of both queues together, the oldest
 *    dropped. A held event tracked again is held twice; the queue keeps it once.
 * 2. `decide(true)`: the queues start (sending what earlier pages stored) and the held
 *    events go into them, in order.
 * 3. `decide(false)`: held events are dropped, the queues stop, and every event either
 *    queue stored, in any tab, is removed from localStorage; events tracked from then on
 *    are dropped (`enqueue` answers false).
 * 4. `decide(true)` after `false` resumes, for events tracked from then on.
 */
export function createConsentGate(start: () => Queues, granted: boolean | undefined, storage: () => Storage): ConsentGate {
  let queues: Queues | null = null;
  /** Events tracked before the decision, each with the queue it is for; `null` once refused. */
  let held: [keyof Queues, Record<string, unknown>][] | null = [];

  const sink = (name: keyof Queues): EventSink => ({
    enqueue(event) {
      if (queues) return queues[name].enqueue(event);
      // The oldest out beyond the bound, as in the queue.
      if (held && held.push([name, event]) > DEFAULT_QUEUE_CONFIG.maxEvents) held.shift();
      return held !== null;
    },
  });
  const stop = (): void => {
    queues?.clicks.destroy();
    queues?.analytics.destroy();
    queues = null;
  };

  const decide = (analytics: boolean): void => {
    const waiting = held ?? [];
    held = null;
    if (analytics) {
      queues ??= start();
      for (const [name, event] of waiting) queues[name].enqueue(event);
    } else {
      stop();
      forgetStored(storage);
    }
  };
  if (granted !== undefined) decide(granted);

  return { clicks: sink('clicks'), analytics: sink('analytics'), decide, destroy: stop };
}
