import { ErrorCode, isFramewireError } from '../protocol/errors';
import type { TrackEvent } from '../protocol/host-api';
import { MAX_TRACK_EVENTS } from '../protocol/methods';
import { createLogger } from '../util/logger';
import type { Logger } from '../util/logger';
import { normalizeOptions } from '../util/normalize-options';
import { openStorage } from '../util/safe-storage';
import type { BridgeClient } from './bridge-client';
import type { ConnectionListener, ConnectionState } from './connection-monitor';

export interface EventOutboxConfig {
  /** Events kept while the host cannot take them; the oldest go first. @default 200 */
  maxEvents?: number;
  /** Wait before handing over again after a failed `track` call, in ms. @default 2000 */
  retryDelayMs?: number;
  /** Debug lines prefixed `[EventOutbox]`. @default false */
  debug?: boolean;
}

export interface EventOutboxOptions extends EventOutboxConfig {
  widgetId: string;
  /** Hands events to the host; `null` standalone (events are then dropped: no host, no queue). */
  bridge: Pick<BridgeClient, 'call'> | null;
  /** Hand-over waits while it says `disconnected`, and resumes when it says `connected`. */
  monitor?: { addListener(listener: ConnectionListener): () => void; getState(): ConnectionState } | null;
  /** Where the outbox survives an iframe reload. @default the widget's sessionStorage, or memory */
  storage?: Storage;
}

export const DEFAULT_EVENT_OUTBOX_CONFIG = { maxEvents: 200, retryDelayMs: 2000, debug: false } as const;

/** Codes after which a batch can never be taken as it is. */
const REFUSED: readonly string[] = [ErrorCode.INVALID_MESSAGE, ErrorCode.QUOTA_EXCEEDED];

/**
 * The widget's side of event delivery: events wait here until the host's `track` takes
 * them. Each event already has its id, so handing a batch over again after a timeout
 * cannot count it twice (the host keeps an id once). While the host is silent the outbox
 * keeps a bounded backlog (oldest dropped, counted), persisted in the widget's own
 * sessionStorage where the browser allows it, and hands it over in order on reconnect.
 */
export class EventOutbox {
  readonly #bridge: EventOutboxOptions['bridge'];
  readonly #monitor: EventOutboxOptions['monitor'];
  readonly #config: Required<EventOutboxConfig>;
  readonly #storage: Storage;
  readonly #key: string;
  readonly #log: Logger;
  #events: TrackEvent[];
  #dropped = 0;
  #sending = false;
  #disabled = false;
  #destroyed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void = () => undefined;

  constructor(options: EventOutboxOptions) {
    this.#config = normalizeOptions(DEFAULT_EVENT_OUTBOX_CONFIG, options) as Required<EventOutboxConfig>;
    this.#bridge = options.bridge;
    this.#monitor = options.monitor ?? null;
    this.#storage = options.storage ?? openStorage(() => globalThis.sessionStorage).storage;
    this.#key = `framewire:${options.widgetId}:outbox`;
    this.#log = createLogger('EventOutbox', this.#config.debug);
    this.#events = this.#restore();
    if (this.#monitor) {
      this.#unsubscribe = this.#monitor.addListener((state) => {
        if (state === 'connected') void this.flush();
      });
    }
    if (this.#events.length > 0) queueMicrotask(() => void this.flush());
  }

  /** Keeps an event and hands it over as soon as the host can take it. */
  enqueue(event: TrackEvent): void {
    if (this.#destroyed || this.#bridge === null || this.#disabled) return;
    this.#events.push(event);
    const excess = this.#events.length - this.#config.maxEvents;
    if (excess > 0) {
      this.#events.splice(0, excess);
      this.#dropped += excess;
      this.#log(`Full: dropped the ${excess} oldest event(s).`);
    }
    this.#save();
    // Events enqueued in the same turn go over together.
    queueMicrotask(() => void this.flush());
  }

  /** Events waiting for the host. */
  size(): number {
    return this.#events.length;
  }

  /** Events dropped because the outbox was full. */
  droppedCount(): number {
    return this.#dropped;
  }

  /** Hands waiting events to the host, in order, up to one `track` call's worth at a time. */
  async flush(): Promise<void> {
    if (this.#sending || this.#destroyed || this.#bridge === null) return;
    if (this.#monitor?.getState() === 'disconnected') return;
    this.#sending = true;
    clearTimeout(this.#timer);
    try {
      while (this.#events.length > 0 && !this.#destroyed) {
        const batch = this.#events.slice(0, MAX_TRACK_EVENTS);
        const outcome = await this.#handOver(batch);
        if (outcome === 'retry') {
          this.#timer = setTimeout(() => void this.flush(), this.#config.retryDelayMs);
          return;
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  /** Stops handing over; what is waiting stays persisted for the next page. */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  async #handOver(batch: TrackEvent[]): Promise<'done' | 'retry'> {
    try {
      await this.#bridge?.call('track', batch);
      this.#remove(batch);
      return 'done';
    } catch (error) {
      if (isFramewireError(error, ErrorCode.INVALID_CONFIG)) {
        // The host page sends no events (no collectorUrl): keeping them would only grow.
        this.#log('The host takes no events; tracking is off for this page.');
        this.#disabled = true;
        this.#remove(this.#events.slice());
        return 'done';
      }
      if (isFramewireError(error) && REFUSED.includes(error.code)) {
        if (batch.length > 1) {
          // Find the event the host refuses: hand the others over one by one.
          for (const event of batch) if ((await this.#handOver([event])) === 'retry') return 'retry';
          return 'done';
        }
        this.#log(`The host refused event ${batch[0]?.id}: ${error.message}; dropped.`);
        this.#remove(batch);
        return 'done';
      }
      this.#log('Hand-over failed; will retry.', error);
      return 'retry';
    }
  }

  #remove(batch: readonly TrackEvent[]): void {
    const gone = new Set(batch.map((event) => event.id));
    this.#events = this.#events.filter((event) => !gone.has(event.id));
    this.#save();
  }

  #save(): void {
    try {
      if (this.#events.length === 0) this.#storage.removeItem(this.#key);
      else this.#storage.setItem(this.#key, JSON.stringify(this.#events));
    } catch {
      // Full or gone: the events are still in memory.
    }
  }

  #restore(): TrackEvent[] {
    try {
      const saved: unknown = JSON.parse(this.#storage.getItem(this.#key) ?? '[]');
      return Array.isArray(saved) ? (saved as TrackEvent[]).slice(-this.#config.maxEvents) : [];
    } catch {
      return [];
    }
  }
}
