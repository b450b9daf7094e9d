/**
 * Values read from or written to the host, answerable without asking it again for `ttl` ms.
 * A stale entry answers `undefined` (ask the host), never a value.
 */
export class ReadCache {
  readonly #entries = new Map<string, { value: string | null; at: number }>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(ttl: number, now: () => number) {
    this.#ttl = ttl;
    this.#now = now;
  }

  /** The key's value if it was set less than `ttl` ms ago, else `undefined`. */
  get(key: string): string | null | undefined {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.at < this.#ttl) return entry.value;
    return undefined;
  }

  set(key: string, value: string | null): void {
    this.#entries.set(key, { value, at: this.#now() });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
