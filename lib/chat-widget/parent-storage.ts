import { storageNamespace } from '../protocol/limits';
import { openStorage } from '../util/safe-storage';
import type { BridgeClient } from './bridge-client';
import type { StoredValue } from './parent-storage-read';

export interface ParentStorageAdapterOptions {
  widgetId: string;
  /** The bridge to the host page; `null` when the widget runs standalone (no parent). */
  bridge: BridgeClient | null;
  /** Local mirror for `getItemSync` and standalone use. @default this window's sessionStorage, or memory where it throws */
  mirror?: Storage;
}

/**
 * The widget's storage in its host page's localStorage, through the bridge. Every value
 * read or written is also mirrored in the widget's own sessionStorage, so `getItemSync`
 * answers at once. No retries and no queue: failures reach the caller as `FramewireError`s
 * (see `EnhancedParentStorageAdapter` for the resilient variant).
 */
export class ParentStorageAdapter {
  readonly #bridge: BridgeClient | null;
  readonly #mirror: Storage;
  readonly #prefix: string;
  /** Per key, the last value the host answered or accepted: where a refused write rolls the mirror back to. */
  readonly #hostValues = new Map<string, string | null>();

  constructor(options: ParentStorageAdapterOptions) {
    this.#bridge = options.bridge;
    this.#mirror = options.mirror ?? openStorage(() => globalThis.sessionStorage).storage;
    this.#prefix = storageNamespace(options.widgetId);
  }

  /** Reads a key from the host (or, standalone, from the mirror). */
  getItem(key: string): Promise<string | null> {
    if (!this.#bridge) return Promise.resolve().then(() => this.getItemSync(key));
    // `then` rather than `await`: one promise and one turn less on the bridge's hot path.
    return this.#bridge.call('getItem', key).then((value) => {
      this.#hostValues.set(key, value);
      this.#remember(key, value);
      return value;
    });
  }

  /**
   * Reads a key and says where the answer came from: the host's value (`host`), or, when the
   * host does not answer (or refuses the read), the mirror's (`fallback`); standalone, the
   * mirror's (`standalone`). Never rejects.
   */
  read(key: string): Promise<StoredValue> {
    if (!this.#bridge) return Promise.resolve().then(() => ({ value: this.getItemSync(key), source: 'standalone' as const }));
    return this.getItem(key).then(
      (value) => ({ value, source: 'host' as const }),
      () => ({ value: this.getItemSync(key), source: 'fallback' as const }),
    );
  }

  /**
   * Keeps a value in the mirror only, without sending it to the host: for a value that must
   * not replace the host's before the host has been read.
   */
  setFallbackItem(key: string, value: string): void {
    this.#remember(key, value);
  }

  /**
   * Writes a key to the host; the mirror has the value at once. If the host refuses (or
   * cannot be reached), the mirror goes back to the last value the host had: a refused
   * write never leaves the mirror with a value the host does not have, nor without the one it does.
   */
  setItem(key: string, value: string): Promise<void> {
    return this.#write(key, value, () => this.#bridge?.call('setItem', key, value));
  }

  /** Removes a key from the host and the mirror. */
  removeItem(key: string): Promise<void> {
    return this.#write(key, null, () => this.#bridge?.call('removeItem', key));
  }

  /** The last value this widget read or wrote for the key, from the mirror. */
  getItemSync(key: string): string | null {
    return this.#mirror.getItem(this.#prefix + key);
  }

  async #write(key: string, value: string | null, send: () => Promise<unknown> | undefined): Promise<void> {
    // Not read yet: the mirror's value is the best guess of what the host has.
    if (!this.#hostValues.has(key)) this.#hostValues.set(key, this.getItemSync(key));
    this.#remember(key, value);
    try {
      await send();
      this.#hostValues.set(key, value);
    } catch (error) {
      // Undo, unless a later write has replaced the value meanwhile (its own outcome decides).
      if (this.getItemSync(key) === value) this.#remember(key, this.#hostValues.get(key) ?? null);
      throw error;
    }
  }

  #remember(key: string, value: string | null): void {
    try {
      // Reads mostly find the mirror current already: a storage write costs more than a read.
      if (this.#mirror.getItem(this.#prefix + key) === value) return;
      if (value === null) this.#mirror.removeItem(this.#prefix + key);
      else this.#mirror.setItem(this.#prefix + key, value);
    } catch {
      // A full mirror only costs getItemSync its answer; the host still has the value.
    }
  }
}
