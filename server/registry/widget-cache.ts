import type { WidgetDocument } from '../../lib/protocol/widget-document';
import type { WidgetRegistry } from './types';

/** Options of {@link createWidgetCache}. */
export interface WidgetCacheOptions {
  /**
   * How long a lookup (a document, or "not registered") is reused: how long another
   * collector's save may go unseen here. A save through this process's API is seen at once.
   * @default 5000
   */
  ttlMs?: number;
  /**
   * Most widgets held; past it the oldest entry goes. Bounds memory against requests for
   * made-up widget ids.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * The clock, in ms.
   * @default () => Date.now()
   */
  now?: () => number;
}

/** Defaults of {@link WidgetCacheOptions}. */
export const DEFAULT_WIDGET_CACHE_OPTIONS: Readonly<Required<WidgetCacheOptions>> = Object.freeze({
  ttlMs: 5000,
  maxEntries: 10_000,
  // Read at call time so tests can fake the clock.
  now: () => Date.now(),
});

/** A briefly cached `getWidget`, for the hot paths (ingestion, the public config, the widget app). */
export interface WidgetCache {
  /** The document, or `null` when not registered; from the cache while fresh. Store errors are not cached. */
  getWidget(widgetId: string): Promise<WidgetDocument | null>;
  /** Forgets one widget, so the next lookup reads the store (after a save). */
  invalidate(widgetId: string): void;
  /** Entries held. */
  readonly size: number;
  /** Forgets everything. */
  destroy(): void;
}

interface Entry {
  value: Promise<WidgetDocument | null>;
  expiresAt: number;
}

/**
 * Caches the lookup's promise rather than its result: concurrent lookups of one widget share
 * one store read, and `invalidate` during a read drops that read's entry, so a stale answer
 * that arrives after a save is never kept.
 */
export function createWidgetCache(registry: Pick<WidgetRegistry, 'getWidget'>, options: WidgetCacheOptions = {}): WidgetCache {
  const ttlMs = options.ttlMs ?? DEFAULT_WIDGET_CACHE_OPTIONS.ttlMs;
  const maxEntries = options.maxEntries ?? DEFAULT_WIDGET_CACHE_OPTIONS.maxEntries;
  const now = options.now ?? DEFAULT_WIDGET_CACHE_OPTIONS.now;
  const entries = new Map<string, Entry>();

  const evictOne = (at: number): void => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= at) entries.delete(key);
    }
    if (entries.size < maxEntries) return;
    // Map order is insertion order: the first key is the oldest entry.
    const oldest = entries.keys().next();
    if (oldest.done !== true) entries.delete(oldest.value);
  };

  return {
    getWidget(widgetId) {
      const at = now();
      const held = entries.get(widgetId);
      if (held !== undefined && held.expiresAt > at) return held.value;
      entries.delete(widgetId);
      if (entries.size >= maxEntries) evictOne(at);
      const value = registry.getWidget(widgetId);
      const entry: Entry = { value, expiresAt: at + ttlMs };
      entries.set(widgetId, entry);
      value.catch(() => {
        if (entries.get(widgetId) === entry) entries.delete(widgetId);
      });
      return value;
    },
    invalidate(widgetId) {
      entries.delete(widgetId);
    },
    get size() {
      return entries.size;
    },
    destroy() {
      entries.clear();
    },
  };
}
