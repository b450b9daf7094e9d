/**
 * The stream's cursor: the highest `seq` below which every message has been seen. It moves
 * only over messages without a gap, so a message that arrives out of order never lets the
 * one before it be skipped on the next resume (a resume may repeat messages; they merge by id).
 */
export class SeqCursor {
  #value: number;
  readonly #ahead = new Set<number>();

  constructor(start = 0) {
    this.#value = start;
  }

  get value(): number {
    return this.#value;
  }

  /** Whether a message of this seq has been seen already. */
  has(seq: number): boolean {
    return seq <= this.#value || this.#ahead.has(seq);
  }

  /** Notes a message's seq; returns true when the cursor moved. */
  add(seq: number): boolean {
    if (seq <= this.#value) return false;
    this.#ahead.add(seq);
    const before = this.#value;
    while (this.#ahead.delete(this.#value + 1)) this.#value++;
    return this.#value !== before;
  }

  /** Takes a cursor known elsewhere (another tab, the stored one) when it is further. */
  advanceTo(seq: number): void {
    if (seq <= this.#value) return;
    this.#value = seq;
    for (const ahead of this.#ahead) if (ahead <= seq) this.#ahead.delete(ahead);
    while (this.#ahead.delete(this.#value + 1)) this.#value++;
  }
}
