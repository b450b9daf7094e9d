/** One write on its way to the host; `value: null` removes the key. */
export interface Write {
  readonly id: number;
  readonly key: string;
  readonly value: string | null;
}

/**
 * The writes waiting for the host, in the order they were made: one entry per key (a newer
 * write of a key replaces the older entry, unless that one is being sent), at most
 * `maxSize`, the oldest dropped first (never the one being sent) and counted.
 */
export class WriteQueue {
  readonly #writes: Write[] = [];
  readonly #maxSize: number;
  #dropped = 0;
  /** The write on its way to the host now: neither replaced nor dropped. */
  sending: Write | null = null;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get length(): number {
    return this.#writes.length;
  }

  /** Writes dropped because the queue was full, since it was created. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The oldest write, the next to send. */
  head(): Write | undefined {
    return this.#writes[0];
  }

  /** Every write, oldest first. */
  entries(): readonly Write[] {
    return this.#writes;
  }

  /** Adds `write` at the end; returns the writes dropped to make room, oldest first. */
  push(write: Write): Write[] {
    const older = this.#writes.findIndex((queued) => queued.key === write.key && queued !== this.sending);
    if (older >= 0) this.#writes.splice(older, 1);
    this.#writes.push(write);
    const dropped: Write[] = [];
    while (this.#writes.length > this.#maxSize) {
      const index = this.#writes[0] === this.sending ? 1 : 0;
      const [oldest] = this.#writes.splice(index, 1);
      if (!oldest) break;
      this.#dropped++;
      dropped.push(oldest);
    }
    return dropped;
  }

  /** Takes `write` out (sent or refused); a write already replaced is left alone. */
  remove(write: Write): void {
    const index = this.#writes.indexOf(write);
    if (index >= 0) this.#writes.splice(index, 1);
  }

  clear(): void {
    this.#writes.length = 0;
  }
}
