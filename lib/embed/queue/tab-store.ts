import { uuidv7 } from '../../util/ids';
import type { Note } from './delivery-health';
import type { Logger } from '../../util/logger';
import { createMemoryStorage } from '../../util/memory-storage';
import { STALE_AFTER } from './config';
import type { QueueConfig } from './config';

/** An event as the queue keeps and sends it: the collector's fields plus its id and time. */
export type QueuedEvent = { id: string; timestamp: number } & Record<string, unknown>;

/** The Web Locks calls the store uses (`navigator.locks`). */
export type Locks = Pick<LockManager, 'request'>;

/** One tab's share of a persisted queue. */
export interface TabStore {
  /** The events this tab holds, oldest first. */
  read(): QueuedEvent[];
  /** Replaces them, dropping the oldest beyond the bounds; an empty list removes the key. */
  write(events: QueuedEvent[]): void;
  /** Adopts the events of tabs that are gone; calls `onAdopt` when it took any. */
  adopt(): void;
  /**
   * Refreshes the heartbeat; `beat(0)` on pagehide marks the tab as gone, so another tab
   * or the next page adopts its events at once.
   */
  beat(time?: number): void;
  /** Events dropped by the bounds since the start. */
  dropped(): number;
  /** False once the store works in memory only. */
  persistent(): boolean;
  /** Lets go of the tab's lock; the events stay stored for whoever comes next. */
  destroy(): void;
}

type Stored = { t: number; e: QueuedEvent[] };

/**
 * Each tab writes only its own key, `<storageKey>:<tabId>`, holding `{ t: heartbeat, e:
 * events }`. Browsers propagate localStorage between tabs asynchronously, so two tabs
 * appending to one shared key would overwrite each other's events; one writer per key
 * cannot. A tab is alive while it holds the Web Lock named after its key; without Web Locks,
 * while its heartbeat is fresh. The events of a tab that is gone are adopted as they are,
 * same ids, so a batch that tab had in flight is at worst sent again and then reported by
 * the collector as a duplicate, never stored twice.
 */
export function createTabStore(
  config: QueueConfig,
  storage: Storage,
  persistent: boolean,
  locks: Locks | undefined,
  log: Logger,
  onAdopt: () => void,
  /** Notes each event dropped by a bound, by bound, with how many this tab dropped so far. */
  onDrop: Note,
): TabStore {
  const prefix = `${config.storageKey}:`;
  // The random tail of a UUIDv7: 48 bits, plenty to tell a browser's tabs apart.
  const own = prefix + uuidv7().slice(-12);
  let dropped = 0;
  let release: (() => void) | undefined;

  const load = (key: string): Stored => {
    try {
      const value = JSON.parse(storage.getItem(key) ?? 'null') as Stored | null;
      if (value && Array.isArray(value.e)) return value;
    } catch {
      // Unreadable: treated as empty rather than thrown into the host page.
    }
    return { t: 0, e: [] };
  };

  const write = (events: QueuedEvent[], beat = Date.now()): void => {
    const serialise = (): string => JSON.stringify({ t: beat, e: events });
    let text = serialise();
    // Oldest first out; the slow path (re-serialising) runs only when a bound is hit.
    while (events.length > config.maxEvents || text.length > config.maxBytes) {
      onDrop(events.length > config.maxEvents ? 'dropped_count' : 'dropped_bytes', ++dropped);
      events = events.slice(1);
      text = serialise();
    }
    try {
      if (events.length > 0) storage.setItem(own, text);
      else storage.removeItem(own);
    } catch (cause) {
      // QuotaExceededError (or storage revoked): keep working in memory, as the widget does.
      log('Memory mode.', cause);
      try {
        storage.removeItem(own);
      } catch {
        // Nothing more to do.
      }
      storage = createMemoryStorage();
      persistent = false;
      storage.setItem(own, text);
    }
  };

  const take = (key: string): void => {
    const theirs = load(key).e;
    // Older than this tab's own events; their ids are kept, so nothing is stored twice.
    if (theirs.length > 0) write([...theirs, ...read()]);
    storage.removeItem(key);
    if (theirs.length > 0) onAdopt();
  };

  const read = (): QueuedEvent[] => load(own).e;

  // Web Locks: the tab holds a lock named after its key for as long as it lives; the
  // browser lets go of it when the page goes away, crashed or not.
  locks
    ?.request(
      own,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    )
    .catch(() => undefined);

  return {
    read,
    write,
    adopt() {
      // From the end down: `take` removes keys as it goes.
      for (let i = storage.length - 1; i >= 0; i--) {
        const key = storage.key(i);
        if (key === null || key === own || !key.startsWith(prefix)) continue;
        if (locks) {
          locks.request(key, { ifAvailable: true }, (lock) => void (lock && take(key))).catch(() => undefined);
        } else if (Date.now() - load(key).t > STALE_AFTER) take(key);
      }
    },
    beat(time) {
      const events = read();
      if (events.length > 0) write(events, time);
    },
    dropped: () => dropped,
    persistent: () => persistent,
    destroy: () => release?.(),
  };
}
