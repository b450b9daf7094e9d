import { storageNamespace } from '../../protocol/limits';
import { openStorage } from '../../util/safe-storage';

/**
 * The widget's own copy of its keys, under the same namespace as in the host: what answers
 * while the host is unreachable. Opened at first use (sessionStorage, or memory where that
 * throws), so creating one touches no storage. A storage that throws costs only the
 * offline answer: reads answer `null`, writes are skipped.
 */
export class FallbackStore {
  readonly #option: Storage | undefined;
  #storage: Storage | undefined;
  #prefix: string;

  constructor(widgetId: string, storage?: Storage) {
    this.#option = storage;
    this.#prefix = storageNamespace(widgetId);
  }

  /** Moves to another widget's namespace (keys already written stay where they are). */
  setWidgetId(widgetId: string): void {
    this.#prefix = storageNamespace(widgetId);
  }

  get(key: string): string | null {
    try {
      return this.#open().getItem(this.#prefix + key);
    } catch {
      return null;
    }
  }

  /** Stores a value; `null` removes the key. */
  set(key: string, value: string | null): void {
    try {
      if (value === null) this.#open().removeItem(this.#prefix + key);
      else this.#open().setItem(this.#prefix + key, value);
    } catch {
      // A full fallback costs only the offline answer; the host still gets the write.
    }
  }

  #open(): Storage {
    this.#storage ??= this.#option ?? openStorage(() => globalThis.sessionStorage).storage;
    return this.#storage;
  }
}
