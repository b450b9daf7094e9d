import type { Logger } from '../../util/logger';
import type { ConnectionState } from '../connection-monitor';
import type { ResolvedEnhancedStorageConfig, StorageBridge } from './config';
import { callWithRetries, sendWrite } from './host-calls';
import { WriteQueue } from './write-queue';
import type { Write } from './write-queue';

export interface HostWriterOptions {
  config: ResolvedEnhancedStorageConfig;
  log: Logger;
  /** The bridge now (`null` standalone, `undefined` not bound yet). */
  bridge: () => StorageBridge | null | undefined;
  state: () => ConnectionState;
  /** Whether a monitor announces the host's return; without one the writer tries again after `maxDelay`. */
  hasMonitor: () => boolean;
  /** Called when the host did not answer a try (to make the monitor probe). */
  checkConnection: () => void;
  /** Aborts the waits between tries (the connection was lost). */
  signal: () => AbortSignal;
  /** A write left the queue: the host took it (`sent`) or refused it. */
  onSettled: (write: Write, outcome: 'sent' | 'refused') => void;
  /** A write was dropped because the queue was full. */
  onDropped: (write: Write) => void;
}

/**
 * Sends the queued writes to the host in order, one call at a time, while connected; a
 * write the host does not answer stays at the head until it does.
 */
export class HostWriter {
  readonly #options: HostWriterOptions;
  readonly #queue: WriteQueue;
  #pumping = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;

  constructor(options: HostWriterOptions) {
    this.#options = options;
    this.#queue = new WriteQueue(options.config.maxQueueSize);
  }

  /** Writes waiting for the host (the one being sent included). */
  get size(): number {
    return this.#queue.length;
  }

  /** Writes dropped because the queue was full. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  enqueue(write: Write): void {
    const { log } = this.#options;
    const dropped = this.#queue.push(write);
    if (this.#options.state() !== 'connected') {
      log(`Queued message: ${write.value === null ? 'removeItem' : 'setItem'} ${write.key} (${this.#queue.length} queued).`);
    }
    for (const oldest of dropped) {
      this.#options.onDropped(oldest);
      log(`Queue full: dropped the oldest message (${oldest.key}); ${this.#queue.dropped} dropped so far.`);
    }
  }

  /** Sends the queue in order, one call at a time, while connected. */
  async pump(): Promise<void> {
    const bridge = this.#options.bridge();
    if (this.#pumping || !bridge || this.#destroyed) return;
    this.#pumping = true;
    let unreachable = false;
    try {
      while (this.#queue.length > 0 && !this.#destroyed && this.#options.state() === 'connected') {
        const write = this.#queue.head() as Write;
        this.#queue.sending = write;
        const outcome = await this.#send(bridge, write);
        this.#queue.sending = null;
        if (outcome === 'unreachable') {
          unreachable = true;
          break;
        }
        this.#queue.remove(write);
        this.#options.onSettled(write, outcome);
      }
    } finally {
      this.#queue.sending = null;
      this.#pumping = false;
    }
    // Without a monitor nothing announces the host's return: try again later.
    if (unreachable && !this.#options.hasMonitor() && !this.#destroyed) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => void this.pump(), this.#options.config.maxDelay);
    }
  }

  /**
   * The page is going away: every queued write goes out now, fire and forget, in queue
   * order (one port, so the host gets them in order). If the page stays after all, the
   * queue sends them again; writing a value twice is harmless.
   */
  sendAllNow(): void {
    const bridge = this.#options.bridge();
    if (!bridge || this.#queue.length === 0) return;
    this.#options.log(`Sending ${this.#queue.length} pending message(s) before leaving.`);
    for (const write of this.#queue.entries()) {
      if (write !== this.#queue.sending) sendWrite(bridge, this.#options.config.requestTimeout, write).catch(() => undefined);
    }
  }

  /** Drops the queue and the retry timer; a send in flight is not answered to anyone. */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#queue.clear();
  }

  async #send(bridge: StorageBridge, write: Write): Promise<'sent' | 'refused' | 'unreachable'> {
    const { config, log } = this.#options;
    const result = await callWithRetries(() => sendWrite(bridge, config.requestTimeout, write), {
      config,
      signal: this.#options.signal(),
      onUnanswered: this.#options.checkConnection,
      canRetry: () => this.#options.state() === 'connected',
    });
    if (result.outcome === 'refused') log(`The host refused ${write.key}; dropped.`, result.error);
    return result.outcome === 'answered' ? 'sent' : result.outcome;
  }
}
