import { createLogger } from '../../util/logger';
import type { Logger } from '../../util/logger';
import type { ConnectionState } from '../connection-monitor';
import type { StoredValue } from '../parent-storage-read';
import { normalizeEnhancedStorageConfig } from './config';
import { bindConnection, connectionStateOf } from './connection';
import type { ConnectionSource, EnhancedParentStorageOptions, PagehideSource, ResolvedEnhancedStorageConfig, StorageBridge } from './config';
import { DebouncedWrites } from './debounced-writes';
import { callWithRetries } from './host-calls';
import { HostWriter } from './host-writer';
import { LocalView } from './local-view';
import type { Write } from './write-queue';

/** What `#readHost` returns when the host never answered (`null` is a value: the key is missing). */
const NOT_ANSWERED = Symbol('not answered');

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
  readonly #config: ResolvedEnhancedStorageConfig;
  readonly #log: Logger;
  readonly #local: LocalView;
  readonly #writer: HostWriter;
  readonly #debounced: DebouncedWrites;
  readonly #unbind: (() => void)[] = [];
  readonly #target: PagehideSource | null | undefined;
  #bridge: StorageBridge | null | undefined;
  #monitor: ConnectionSource | null;
  #waits = new AbortController();
  #seq = 0;
  #destroyed = false;

  /**
   * `new EnhancedParentStorageAdapter(options)`, or as in seed 004
   * `new EnhancedParentStorageAdapter(retryConfig, debug)`: the retry fields are options too.
   */
  constructor(options: EnhancedParentStorageOptions = {}, debug?: boolean) {
    const config = normalizeEnhancedStorageConfig(debug === undefined ? options : { ...options, debug });
    const now = options.now ?? (() => Date.now());
    this.#config = config;
    this.#log = createLogger('EnhancedParentStorageAdapter', config.debug);
    this.#local = new LocalView({ widgetId: config.widgetId, cacheTtl: config.cacheTtl, now, fallback: options.fallback });
    this.#writer = new HostWriter({
      config,
      log: this.#log,
      bridge: () => this.#bridge,
      state: () => this.getConnectionState(),
      hasMonitor: () => this.#monitor !== null,
      checkConnection: () => this.#monitor?.checkConnection(),
      signal: () => this.#waits.signal,
      onSettled: (write, outcome) => this.#local.settle(write, outcome),
      onDropped: (write) => this.#local.forget(write),
    });
    this.#debounced = new DebouncedWrites({ delay: config.debounceDelay, maxWait: config.debounceMaxWait, now, onRelease: (write) => this.#enqueueAndPump(write) });
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
    if (options.widgetId !== undefined) this.#local.fallback.setWidgetId(options.widgetId);
    this.#bind();
    void this.#writer.pump();
  }

  /** Reads a key: unsent write, cache, host (with retries), fallback, in that order. */
  async getItem(key: string): Promise<string | null> {
    const local = this.#local.value(key);
    if (local !== undefined) return local;
    if (!this.#canAsk()) return this.#local.fallback.get(key);
    const answered = await this.#readHost(key);
    if (answered !== NOT_ANSWERED) return answered;
    return this.#local.value(key) ?? this.#local.fallback.get(key);
  }

  /**
   * Reads a key as {@link getItem} does and says where the answer came from: `host` once the
   * host has answered a read of the key (this widget's own later writes included), else
   * `fallback` (host unreachable, disconnected or not bound yet); `standalone` without a host.
   */
  async read(key: string): Promise<StoredValue> {
    const local = this.#local.value(key);
    if (this.#bridge === null) return { value: local ?? this.#local.fallback.get(key), source: 'standalone' };
    if (local !== undefined && this.#local.hostHasAnswered(key)) return { value: local, source: 'host' };
    if (this.#canAsk()) {
      const answered = await this.#readHost(key);
      if (answered !== NOT_ANSWERED) return { value: answered, source: 'host' };
    }
    return { value: this.#local.value(key) ?? this.#local.fallback.get(key), source: 'fallback' };
  }

  /**
   * Keeps a value in the fallback only, without sending it to the host: for a value that
   * must not replace the host's before the host has been read. A later host read replaces it.
   */
  setFallbackItem(key: string, value: string): void {
    this.#local.fallback.set(key, value);
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
    return this.#local.valueSync(key);
  }

  getConnectionState(): ConnectionState {
    return connectionStateOf(this.#monitor, this.#bridge, this.#destroyed);
  }

  /** Writes waiting for the host (the one being sent included). */
  getQueueSize(): number {
    return this.#writer.size;
  }

  /** Writes dropped because the queue was full. */
  getDroppedCount(): number {
    return this.#writer.dropped;
  }

  /** Sends the pending debounced writes now instead of after `debounceDelay`. */
  flush(): void {
    for (const key of this.#debounced.keys()) this.#debounced.release(key);
    void this.#writer.pump();
  }

  /** Sends pending writes at once, then stops: timers, listeners and queue are gone. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#flushForExit();
    this.#destroyed = true;
    for (const unbind of this.#unbind.splice(0)) unbind();
    this.#writer.destroy();
    this.#waits.abort();
    this.#local.clear();
    this.#log('Destroyed.');
  }

  #canAsk(): boolean {
    return Boolean(this.#bridge) && !this.#destroyed && this.getConnectionState() !== 'disconnected';
  }

  /** The host's value (or a write made while the read was on its way), after retries; {@link NOT_ANSWERED} if the host never answered. */
  async #readHost(key: string): Promise<string | null | typeof NOT_ANSWERED> {
    const bridge = this.#bridge;
    if (!bridge) return NOT_ANSWERED;
    const result = await callWithRetries(() => bridge.callWithTimeout(this.#config.requestTimeout, 'getItem', key), {
      config: this.#config,
      signal: this.#waits.signal,
      onError: (error, attempt) => this.#log(`getItem ${key}: attempt ${attempt + 1} failed.`, error),
      onUnanswered: () => this.#monitor?.checkConnection(),
      canRetry: () => this.getConnectionState() !== 'disconnected',
    });
    return result.outcome === 'answered' ? this.#local.recordHostAnswer(key, result.value) : NOT_ANSWERED;
  }

  #bind(): void {
    if (this.#destroyed) return;
    const onState = (state: ConnectionState): void => {
      if (state === 'disconnected') {
        // Reads waiting to retry answer from the fallback now.
        this.#waits.abort();
        this.#waits = new AbortController();
      } else if (state === 'connected') {
        if (this.#writer.size > 0) this.#log(`Connected: replaying ${this.#writer.size} queued message(s).`);
        void this.#writer.pump();
      }
    };
    const onPagehide = (): void => this.#flushForExit();
    this.#unbind.push(...bindConnection({ monitor: this.#monitor, bridge: this.#bridge, target: this.#target, onState, onPagehide }));
  }

  #write(key: string, value: string | null): void {
    const write: Write = { id: ++this.#seq, key, value };
    const since = this.#debounced.cancel(key);
    this.#local.recordWrite(write);
    if (this.#bridge === null || this.#destroyed) return; // Standalone: the fallback is the store.
    this.#local.markUnacknowledged(write);
    if (value !== null && this.getConnectionState() !== 'disconnected') {
      this.#debounced.hold(write, since);
      return;
    }
    this.#enqueueAndPump(write);
  }

  #enqueueAndPump(write: Write): void {
    this.#writer.enqueue(write);
    void this.#writer.pump();
  }

  /** The page is going away (or the adapter is): every pending write goes out now. */
  #flushForExit(): void {
    for (const write of this.#debounced.takeAll()) this.#writer.enqueue(write);
    this.#writer.sendAllNow();
  }
}
