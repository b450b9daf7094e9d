import { ErrorCode, isFramewireError } from '../protocol/errors';
import { storageNamespace } from '../protocol/limits';
import { createLogger } from '../util/logger';
import type { Logger } from '../util/logger';
import { openStorage } from '../util/safe-storage';
import type { BridgeClient } from './bridge-client';
import type { ConnectionListener, ConnectionState } from './connection-monitor';
import type { StoredValue } from './parent-storage-read';
import { abortableDelay, retryDelay } from './retry';
import type { RetryConfig } from './retry';

/** The bridge as the adapter uses it; `getState`/`subscribe` matter only without a monitor. */
export type StorageBridge = Pick<BridgeClient, 'callWithTimeout'> & Partial<Pick<BridgeClient, 'getState' | 'subscribe'>>;

/** The monitor as the adapter uses it (a `ConnectionMonitor`). */
export interface ConnectionSource {
  getState(): ConnectionState;
  addListener(listener: ConnectionListener): () => void;
  checkConnection(): void;
}

type PagehideSource = Pick<Window, 'addEventListener' | 'removeEventListener'>;

export interface EnhancedParentStorageOptions extends RetryConfig {
  /** Names the key namespace, `framewire:<widgetId>:`, here and in the host. @default 'default' */
  widgetId?: string;
  /**
   * The bridge to the host page. `null`: standalone (no host; the fallback is the store).
   * Left out: not bound yet (`attach` binds it); writes wait in the queue meanwhile.
   */
  bridge?: StorageBridge | null;
  /** Where the connection state comes from; without one, from the bridge's own state. */
  monitor?: ConnectionSource | null;
  /** Timeout of each host call, in ms. @default 2000 */
  requestTimeout?: number;
  /** How long a value read or written stays answerable without asking the host, in ms. @default 5000 */
  cacheTtl?: number;
  /** Writes of one key within this many ms are sent once, with the last value. @default 300 */
  debounceDelay?: number;
  /**
   * Longest a key's write waits while newer writes keep postponing it, in ms: a visitor who
   * keeps sending still has the conversation in the host every second. @default 1000
   */
  debounceMaxWait?: number;
  /** Most writes kept for the host while it cannot take them; the oldest is dropped. @default 100 */
  maxQueueSize?: number;
  /** Storage used while the host is unreachable. @default sessionStorage, or memory where that throws */
  fallback?: Storage;
  /** Where `pagehide` comes from. @default window, where there is one */
  target?: PagehideSource | null;
  /** The clock. @default Date.now (looked up at each call) */
  now?: () => number;
  /** Debug lines prefixed `[EnhancedParentStorageAdapter]`. @default false */
  debug?: boolean;
}

export const DEFAULT_ENHANCED_STORAGE_CONFIG = {
  widgetId: 'default',
  maxAttempts: 3,
  initialDelay: 100,
  maxDelay: 2000,
  backoffMultiplier: 2,
  requestTimeout: 2000,
  cacheTtl: 5000,
  debounceDelay: 300,
  debounceMaxWait: 1000,
  maxQueueSize: 100,
  debug: false,
};

type ResolvedConfig = typeof DEFAULT_ENHANCED_STORAGE_CONFIG;

/** Merges options over the defaults; `undefined` means "the default". */
export function normalizeEnhancedStorageConfig(options: EnhancedParentStorageOptions = {}): ResolvedConfig {
  const resolved = { ...DEFAULT_ENHANCED_STORAGE_CONFIG };
  for (const key of Object.keys(resolved) as (keyof ResolvedConfig)[]) {
    const value = options[key];
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

/** One write on its way to the host; `value: null` removes the key. */
interface Write {
  readonly id: number;
  readonly key: string;
  readonly value: string | null;
}

type SendOutcome = 'sent' | 'refused' | 'unreachable';

/** What `#readHost` returns when the host never answered (`null` is a value: the key is missing). */
const NOT_ANSWERED = Symbol('not answered');

const isConnectionError = (error: unknown): boolean =>
  !isFramewireError(error) || error.code === ErrorCode.CONNECTION_TIMEOUT || error.code === ErrorCode.CONNECTION_DESTROYED;

/**
 * The widget's storage in its host page's localStorage, for a host that may be slow, stalled
 * or gone for a while.
 *
 * - Reads: this widget's own unsent writes first, then a read cache (`cacheTtl`), then the
 *   host with retries (`maxAttempts`, backoff), then the fallback. While disconnected the
 *   fallback answers at once. `read(key)` answers the same and says whether the host did
 *   (`host`) or the fallback (`fallback`), so a caller can hold writes it has not based on the host's value.
 * - Writes land in the cache and the fallback at once (read-your-writes). Connected, writes
 *   of one key are debounced (`debounceDelay`, last value wins; at most `debounceMaxWait`
 *   after the first of them). Every write then waits in
 *   one FIFO queue that is sent in order, one call at a time, while connected; disconnected,
 *   writes go into the queue at once. The queue holds one entry per key (a newer write of
 *   a key replaces the older entry), at most `maxQueueSize`, the oldest dropped and counted.
 * - On reconnect the queue is replayed in order; until a write is acknowledged, reads of
 *   its key answer the written value, so queued (newer) writes win over the host's older values.
 * - A write the host refuses (`QUOTA_EXCEEDED`: over a limit, or the host's storage full) is
 *   dropped; the host keeps its last good value, and the cache and fallback go back to it.
 * - `pagehide` and `destroy()` send the pending debounced writes at once.
 */
export class EnhancedParentStorageAdapter {
  readonly #config: ResolvedConfig;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #cache = new Map<string, { value: string | null; at: number }>();
  /** The latest write of each key the host has not acknowledged. */
  readonly #dirty = new Map<string, Write>();
  /** Per key, the last value the host answered or acknowledged: what a refused write rolls back to. */
  readonly #hostValues = new Map<string, string | null>();
  /** Keys the host has answered a read of: `read` says `host` for them. */
  readonly #hostRead = new Set<string>();
  /** Per key, the debounced write, its timer, and when the first write it replaced was made. */
  readonly #debounced = new Map<string, { write: Write; timer: ReturnType<typeof setTimeout>; since: number }>();
  readonly #queue: Write[] = [];
  readonly #unbind: (() => void)[] = [];
  #bridge: StorageBridge | null | undefined;
  #monitor: ConnectionSource | null;
  #prefix: string;
  #fallback: Storage | undefined;
  readonly #fallbackOption: Storage | undefined;
  readonly #target: PagehideSource | null | undefined;
  #sending: Write | null = null;
  #pumping = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #waits = new AbortController();
  #seq = 0;
  #dropped = 0;
  #destroyed = false;

  /**
   * `new EnhancedParentStorageAdapter(options)`, or as in seed 004
   * `new EnhancedParentStorageAdapter(retryConfig, debug)`: the retry fields are options too.
   */
  constructor(options: EnhancedParentStorageOptions = {}, debug?: boolean) {
    this.#config = normalizeEnhancedStorageConfig(debug === undefined ? options : { ...options, debug });
    this.#log = createLogger('EnhancedParentStorageAdapter', this.#config.debug);
    this.#now = options.now ?? (() => Date.now());
    this.#prefix = storageNamespace(this.#config.widgetId);
    this.#fallbackOption = options.fallback;
    this.#target = options.target;
    this.#bridge = options.bridge;
    this.#monitor = options.monitor ?? null;
    if (this.#bridge !== undefined) this.#bind();
  }

  /** Binds an unbound adapter (such as the `enhancedParentStorage` singleton) to a bridge. */
  attach(options: { bridge: StorageBridge | null; monitor?: ConnectionSource | null; widgetId?: string }): void {
    for (const unbind of this.#unbind.splice(0)) unbind();
    this.#bridge = options.bridge;
    this.#monitor = options.monitor ?? null;
    if (options.widgetId !== undefined) this.#prefix = storageNamespace(options.widgetId);
    this.#bind();
    void this.#pump();
  }

  /** Reads a key: unsent write, cache, host (with retries), fallback, in that order. */
  async getItem(key: string): Promise<string | null> {
    const local = this.#localValue(key);
    if (local !== undefined) return local;
    if (!this.#canAsk()) return this.#fallbackGet(key);
    const answered = await this.#readHost(key);
    if (answered !== NOT_ANSWERED) return answered;
    return this.#localValue(key) ?? this.#fallbackGet(key);
  }

  /**
   * Reads a key as {@link getItem} does and says where the answer came from: `host` once the
   * host has answered a read of the key (this widget's own later writes included), else
   * `fallback` (host unreachable, disconnected or not bound yet); `standalone` without a host.
   */
  async read(key: string): Promise<StoredValue> {
    const local = this.#localValue(key);
    if (this.#bridge === null) return { value: local ?? this.#fallbackGet(key), source: 'standalone' };
    if (local !== undefined && this.#hostRead.has(key)) return { value: local, source: 'host' };
    if (this.#canAsk()) {
      const answered = await this.#readHost(key);
      if (answered !== NOT_ANSWERED) return { value: answered, source: 'host' };
    }
    return { value: this.#localValue(key) ?? this.#fallbackGet(key), source: 'fallback' };
  }

  /**
   * Keeps a value in the fallback only, without sending it to the host: for a value that
   * must not replace the host's before the host has been read. A later host read replaces it.
   */
  setFallbackItem(key: string, value: string): void {
    this.#fallbackSet(key, value);
  }

  #canAsk(): boolean {
    return Boolean(this.#bridge) && !this.#destroyed && this.getConnectionState() !== 'disconnected';
  }

  /** The host's value (or a write made while the read was on its way), after retries; {@link NOT_ANSWERED} if the host never answered. */
  async #readHost(key: string): Promise<string | null | typeof NOT_ANSWERED> {
    const bridge = this.#bridge;
    if (!bridge) return NOT_ANSWERED;
    const signal = this.#waits.signal;
    for (let attempt = 0; attempt < this.#config.maxAttempts; attempt++) {
      try {
        const value = await bridge.callWithTimeout(this.#config.requestTimeout, 'getItem', key);
        this.#hostRead.add(key);
        // A write made while the read was on its way is newer than the host's answer.
        const written = this.#localValue(key);
        if (written !== undefined) return written;
        this.#hostValues.set(key, value);
        this.#cache.set(key, { value, at: this.#now() });
        this.#fallbackSet(key, value);
        return value;
      } catch (error) {
        this.#log(`getItem ${key}: attempt ${attempt + 1} failed.`, error);
        if (!isConnectionError(error)) break;
        this.#monitor?.checkConnection();
        if (attempt === this.#config.maxAttempts - 1 || this.getConnectionState() === 'disconnected') break;
        if (!(await abortableDelay(retryDelay(this.#config, attempt), signal))) break;
      }
    }
    return NOT_ANSWERED;
  }

  /** Writes a key: readable at once, sent debounced (or queued while disconnected). */
  setItem(key: string, value: string): void {
    this.#write(key, value);
  }

  /** Removes a key, its cached value and any pending debounced write of it. */
  removeItem(key: string): void {
    this.#write(key, null);
  }

  /** The value this widget last read or wrote for the key, without asking the host. */
  getItemSync(key: string): string | null {
    return this.#dirty.get(key)?.value ?? (this.#dirty.has(key) ? null : this.#fallbackGet(key));
  }

  getConnectionState(): ConnectionState {
    if (this.#monitor) return this.#monitor.getState();
    const bridge = this.#bridge;
    if (bridge === null || this.#destroyed) return 'disconnected';
    if (bridge === undefined) return 'connecting';
    const state = bridge.getState?.() ?? 'connected';
    return state === 'destroyed' ? 'disconnected' : state;
  }

  /** Writes waiting for the host (the one being sent included). */
  getQueueSize(): number {
    return this.#queue.length;
  }

  /** Writes dropped because the queue was full. */
  getDroppedCount(): number {
    return this.#dropped;
  }

  /** Sends the pending debounced writes now instead of after `debounceDelay`. */
  flush(): void {
    for (const key of [...this.#debounced.keys()]) this.#releaseDebounced(key);
    void this.#pump();
  }

  /** Sends pending writes at once, then stops: timers, listeners and queue are gone. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#flushForExit();
    this.#destroyed = true;
    for (const unbind of this.#unbind.splice(0)) unbind();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#waits.abort();
    this.#queue.length = 0;
    this.#dirty.clear();
    this.#hostValues.clear();
    this.#hostRead.clear();
    this.#cache.clear();
    this.#log('Destroyed.');
  }

  #bind(): void {
    if (this.#destroyed) return;
    const onState = (state: ConnectionState): void => {
      if (state === 'disconnected') {
        // Reads waiting to retry answer from the fallback now.
        this.#waits.abort();
        this.#waits = new AbortController();
      } else if (state === 'connected') {
        if (this.#queue.length > 0) this.#log(`Connected: replaying ${this.#queue.length} queued message(s).`);
        void this.#pump();
      }
    };
    if (this.#monitor) this.#unbind.push(this.#monitor.addListener(onState));
    else if (this.#bridge?.subscribe) {
      this.#unbind.push(this.#bridge.subscribe((state) => onState(state === 'destroyed' ? 'disconnected' : state)));
    }
    const target = this.#target === undefined ? (typeof window === 'undefined' ? null : window) : this.#target;
    if (target) {
      const onPagehide = (): void => this.#flushForExit();
      target.addEventListener('pagehide', onPagehide);
      this.#unbind.push(() => target.removeEventListener('pagehide', onPagehide));
    }
  }

  #write(key: string, value: string | null): void {
    const write: Write = { id: ++this.#seq, key, value };
    // Not read yet: the fallback's value is the best guess of what the host has.
    if (!this.#hostValues.has(key)) this.#hostValues.set(key, this.#fallbackGet(key));
    const pending = this.#debounced.get(key);
    const since = pending?.since ?? this.#now();
    if (pending) {
      clearTimeout(pending.timer);
      this.#debounced.delete(key);
    }
    if (value === null) this.#cache.delete(key);
    else this.#cache.set(key, { value, at: this.#now() });
    this.#fallbackSet(key, value);
    if (this.#bridge === null || this.#destroyed) return; // Standalone: the fallback is the store.
    this.#dirty.set(key, write);
    if (value !== null && this.getConnectionState() !== 'disconnected') {
      const untilMaxWait = since + this.#config.debounceMaxWait - this.#now();
      const timer = setTimeout(() => this.#releaseDebounced(key), Math.max(0, Math.min(this.#config.debounceDelay, untilMaxWait)));
      this.#debounced.set(key, { write, timer, since });
      return;
    }
    this.#enqueue(write);
    void this.#pump();
  }

  #releaseDebounced(key: string): void {
    const pending = this.#debounced.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#debounced.delete(key);
    this.#enqueue(pending.write);
    void this.#pump();
  }

  #enqueue(write: Write): void {
    const older = this.#queue.findIndex((queued) => queued.key === write.key && queued !== this.#sending);
    if (older >= 0) this.#queue.splice(older, 1);
    this.#queue.push(write);
    if (this.getConnectionState() !== 'connected') {
      this.#log(`Queued message: ${write.value === null ? 'removeItem' : 'setItem'} ${write.key} (${this.#queue.length} queued).`);
    }
    while (this.#queue.length > this.#config.maxQueueSize) {
      const index = this.#queue[0] === this.#sending ? 1 : 0;
      const [dropped] = this.#queue.splice(index, 1);
      if (!dropped) break;
      this.#dropped++;
      if (this.#dirty.get(dropped.key) === dropped) this.#dirty.delete(dropped.key);
      this.#log(`Queue full: dropped the oldest message (${dropped.key}); ${this.#dropped} dropped so far.`);
    }
  }

  /** Sends the queue in order, one call at a time, while connected. */
  async #pump(): Promise<void> {
    const bridge = this.#bridge;
    if (this.#pumping || !bridge || this.#destroyed) return;
    this.#pumping = true;
    let unreachable = false;
    try {
      while (this.#queue.length > 0 && !this.#destroyed && this.getConnectionState() === 'connected') {
        const write = this.#queue[0] as Write;
        this.#sending = write;
        const outcome = await this.#send(bridge, write);
        this.#sending = null;
        if (outcome === 'unreachable') {
          unreachable = true;
          break;
        }
        const index = this.#queue.indexOf(write);
        if (index >= 0) this.#queue.splice(index, 1);
        if (outcome === 'sent') this.#hostValues.set(write.key, write.value);
        else this.#rollBack(write);
        if (this.#dirty.get(write.key) === write) this.#dirty.delete(write.key);
      }
    } finally {
      this.#sending = null;
      this.#pumping = false;
    }
    // Without a monitor nothing announces the host's return: try again later.
    if (unreachable && !this.#monitor && !this.#destroyed) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => void this.#pump(), this.#config.maxDelay);
    }
  }

  async #send(bridge: StorageBridge, write: Write): Promise<SendOutcome> {
    const signal = this.#waits.signal;
    for (let attempt = 0; attempt < this.#config.maxAttempts; attempt++) {
      try {
        if (write.value === null) await bridge.callWithTimeout(this.#config.requestTimeout, 'removeItem', write.key);
        else await bridge.callWithTimeout(this.#config.requestTimeout, 'setItem', write.key, write.value);
        return 'sent';
      } catch (error) {
        if (!isConnectionError(error)) {
          this.#log(`The host refused ${write.key}; dropped.`, error);
          return 'refused';
        }
        this.#monitor?.checkConnection();
        if (attempt === this.#config.maxAttempts - 1 || this.getConnectionState() !== 'connected') return 'unreachable';
        if (!(await abortableDelay(retryDelay(this.#config, attempt), signal))) return 'unreachable';
      }
    }
    return 'unreachable';
  }

  /**
   * The host refused `write` and kept its last good value: the cache forgets the refused
   * value (the next read asks the host) and the fallback goes back to the host's value, so
   * neither answers what the host does not have. A newer write of the key, still on its
   * way, keeps its own value.
   */
  #rollBack(write: Write): void {
    if (this.#dirty.get(write.key) !== write) return;
    this.#cache.delete(write.key);
    this.#fallbackSet(write.key, this.#hostValues.get(write.key) ?? null);
  }

  /** The page is going away (or the adapter is): every pending write goes out now. */
  #flushForExit(): void {
    const bridge = this.#bridge;
    for (const [key, pending] of [...this.#debounced]) {
      clearTimeout(pending.timer);
      this.#debounced.delete(key);
      this.#enqueue(pending.write);
    }
    if (!bridge || this.#queue.length === 0) return;
    this.#log(`Sending ${this.#queue.length} pending message(s) before leaving.`);
    // Fire and forget, in queue order (one port, so the host gets them in order). If the
    // page stays after all, the queue sends them again; writing a value twice is harmless.
    for (const write of this.#queue) {
      if (write === this.#sending) continue;
      const sent =
        write.value === null
          ? bridge.callWithTimeout(this.#config.requestTimeout, 'removeItem', write.key)
          : bridge.callWithTimeout(this.#config.requestTimeout, 'setItem', write.key, write.value);
      sent.catch(() => undefined);
    }
  }

  /** An unacknowledged write's value, else a fresh cached value, else `undefined`. */
  #localValue(key: string): string | null | undefined {
    const dirty = this.#dirty.get(key);
    if (dirty) return dirty.value;
    const cached = this.#cache.get(key);
    if (cached && this.#now() - cached.at < this.#config.cacheTtl) return cached.value;
    return undefined;
  }

  #storage(): Storage {
    this.#fallback ??= this.#fallbackOption ?? openStorage(() => globalThis.sessionStorage).storage;
    return this.#fallback;
  }

  #fallbackGet(key: string): string | null {
    try {
      return this.#storage().getItem(this.#prefix + key);
    } catch {
      return null;
    }
  }

  #fallbackSet(key: string, value: string | null): void {
    try {
      if (value === null) this.#storage().removeItem(this.#prefix + key);
      else this.#storage().setItem(this.#prefix + key, value);
    } catch {
      // A full fallback costs only the offline answer; the host still gets the write.
    }
  }
}

/**
 * The shared adapter, created unbound: `enhancedParentStorage.attach({ bridge, monitor, widgetId })`.
 * Creating it opens no storage and adds no listener.
 */
export const enhancedParentStorage = new EnhancedParentStorageAdapter();
