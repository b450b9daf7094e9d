import type { Write } from './write-queue';

export interface DebouncedWritesOptions {
  /** Writes of one key within this many ms are released once, the last one. */
  delay: number;
  /** Longest a key's write waits while newer writes keep postponing it, in ms. */
  maxWait: number;
  now: () => number;
  /** Called with the write that is due. */
  onRelease: (write: Write) => void;
}

/**
 * Per key, the last write made within `delay` ms of the one before it: released once, at most
 * `maxWait` ms after the first of the run, so a stream of writes still reaches the host.
 */
export class DebouncedWrites {
  readonly #pending = new Map<string, { write: Write; timer: ReturnType<typeof setTimeout>; since: number }>();
  readonly #options: DebouncedWritesOptions;

  constructor(options: DebouncedWritesOptions) {
    this.#options = options;
  }

  /**
   * Cancels the key's pending write, if any, and says since when the run has lasted (the
   * time of its first write; now if there was none): a write that follows at once keeps it.
   */
  cancel(key: string): number {
    const pending = this.#pending.get(key);
    if (!pending) return this.#options.now();
    clearTimeout(pending.timer);
    this.#pending.delete(key);
    return pending.since;
  }

  /** Holds `write` until `delay` ms from now, or until `since + maxWait`, whichever is first. */
  hold(write: Write, since: number): void {
    const { delay, maxWait, now } = this.#options;
    const untilMaxWait = since + maxWait - now();
    const timer = setTimeout(() => this.release(write.key), Math.max(0, Math.min(delay, untilMaxWait)));
    this.#pending.set(write.key, { write, timer, since });
  }

  /** Releases the key's pending write now (nothing if none is pending). */
  release(key: string): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(key);
    this.#options.onRelease(pending.write);
  }

  /** Takes every pending write out without releasing it, oldest key first. */
  takeAll(): Write[] {
    const writes = [...this.#pending.values()].map((pending) => {
      clearTimeout(pending.timer);
      return pending.write;
    });
    this.#pending.clear();
    return writes;
  }

  /** Keys with a pending write. */
  keys(): string[] {
    return [...this.#pending.keys()];
  }
}
