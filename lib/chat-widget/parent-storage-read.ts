/**
 * Where a storage adapter's answer came from:
 * - `host`: the host page answered a read of this key (the value may include this widget's
 *   own writes since), so a write of the key builds on what the host has;
 * - `fallback`: the host did not answer in time; the value is this widget's local copy, and
 *   the host may hold something else that a write would overwrite;
 * - `standalone`: there is no host page; the local store is the only store.
 */
export type StorageSource = 'host' | 'fallback' | 'standalone';

/** A value read by `read(key)`, with where it came from. */
export interface StoredValue {
  value: string | null;
  source: StorageSource;
}
