/** The round trips of the last `size` answers, and their mean. */
export class LatencyWindow {
  readonly #samples: number[] = [];
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** Adds a round trip (negative ones, from a clock that went back, count as 0); the oldest beyond `size` goes. */
  add(ms: number): void {
    this.#samples.push(Math.max(0, ms));
    if (this.#samples.length > this.#size) this.#samples.shift();
  }

  /** Mean of the kept round trips, in ms; 0 before the first. */
  average(): number {
    const samples = this.#samples;
    return samples.length === 0 ? 0 : samples.reduce((sum, value) => sum + value, 0) / samples.length;
  }
}
