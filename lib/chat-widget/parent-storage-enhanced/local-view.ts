import { FallbackStore } from './fallback';
import { ReadCache } from './read-cache';
import type { Write } from './write-queue';

export interface LocalViewOptions {
  widgetId: string;
  cacheTtl: number;
  now: () => number;
  fallback?: Storage | undefined;
}

/**
 * What this widget knows of its keys without asking the host: its own unacknowledged
 * writes, a read cache, the fallback copy, and per key the last value the host answered or
 * acknowledged (what a refused write rolls back to).
 */
export class LocalView {
  readonly cache: ReadCache;
  readonly fallback: FallbackStore;
  /** The latest write of each key the host has not acknowledged. */
  readonly #unacknowledged = new Map<string, Write>();
  /** Per key, the last value the host answered or acknowledged. */
  readonly #hostValues = new Map<string, string | null>();
  /** Keys the host has answered a read of. */
  readonly #hostRead = new Set<string>();

  constructor(options: LocalViewOptions) {
    this.cache = new ReadCache(options.cacheTtl, options.now);
    this.fallback = new FallbackStore(options.widgetId, options.fallback);
  }

  /** An unacknowledged write's value, else a fresh cached value, else `undefined`. */
  value(key: string): string | null | undefined {
    const unacknowledged = this.#unacknowledged.get(key);
    if (unacknowledged) return unacknowledged.value;
    return this.cache.get(key);
  }

  /** The value last read or written, without the host: the unacknowledged write, else the fallback's. */
  valueSync(key: string): string | null {
    return this.#unacknowledged.get(key)?.value ?? (this.#unacknowledged.has(key) ? null : this.fallback.get(key));
  }

  /** Whether the host has answered a read of `key`. */
  hostHasAnswered(key: string): boolean {
    return this.#hostRead.has(key);
  }

  /**
   * The host answered a read with `value`. A write made while the read was on its way is
   * newer than the answer: its value is returned, and the answer is not kept.
   */
  recordHostAnswer(key: string, value: string | null): string | null {
    this.#hostRead.add(key);
    const written = this.value(key);
    if (written !== undefined) return written;
    this.#hostValues.set(key, value);
    this.cache.set(key, value);
    this.fallback.set(key, value);
    return value;
  }

  /** A write was made: readable at once from the cache and the fallback. */
  recordWrite(write: Write): void {
    const { key, value } = write;
    // Not read yet: the fallback's value is the best guess of what the host has.
    if (!this.#hostValues.has(key)) this.#hostValues.set(key, this.fallback.get(key));
    if (value === null) this.cache.delete(key);
    else this.cache.set(key, value);
    this.fallback.set(key, value);
  }

  /** The write is on its way to the host: until acknowledged, reads of its key answer it. */
  markUnacknowledged(write: Write): void {
    this.#unacknowledged.set(write.key, write);
  }

  /** The write will not reach the host (dropped from a full queue). */
  forget(write: Write): void {
    if (this.#unacknowledged.get(write.key) === write) this.#unacknowledged.delete(write.key);
  }

  /**
   * The host took `write`, or refused it and kept its last good value: then the cache
   * forgets the refused value (the next read asks the host) and the fallback goes back to
   * the host's value, so neither answers what the host does not have. A newer write of the
   * key, still on its way, keeps its own value.
   */
  settle(write: Write, outcome: 'sent' | 'refused'): void {
    if (outcome === 'sent') this.#hostValues.set(write.key, write.value);
    else if (this.#unacknowledged.get(write.key) === write) {
      this.cache.delete(write.key);
      this.fallback.set(write.key, this.#hostValues.get(write.key) ?? null);
    }
    this.forget(write);
  }

  /** Forgets everything but the fallback. */
  clear(): void {
    this.#unacknowledged.clear();
    this.#hostValues.clear();
    this.#hostRead.clear();
    this.cache.clear();
  }
}
