import { ErrorCode, isFramewireError } from '../protocol/errors';
import { createLogger } from '../util/logger';
import type { Logger } from '../util/logger';

/** How the widget sees its host page: not yet answered, answering, or silent. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** What the heartbeat has measured so far. Times are `Date.now()` values. */
export interface ConnectionStats {
  lastPingTime: number | null;
  lastPongTime: number | null;
  /** Probes in a row that got no answer; 0 after any answer. */
  failedPings: number;
  totalPings: number;
  /** Mean round trip of the last `latencySamples` answers, in ms; 0 before the first. */
  averageLatency: number;
}

export type ConnectionListener = (state: ConnectionState, stats: ConnectionStats) => void;

/** Anything that can ping the host: the bridge client is one. */
export interface Pinger {
  callWithTimeout(timeoutMs: number, method: 'ping', pingTime: number): Promise<number>;
}

/** The window events that make the monitor probe at once. */
type EventSource = Pick<Window, 'addEventListener' | 'removeEventListener'> & { document?: Pick<Document, 'visibilityState'> };

export interface ConnectionMonitorConfig {
  /** Time between pings while the host answers, in ms. @default 5000 */
  heartbeatInterval?: number;
  /** How long a ping may go unanswered before it counts as failed, in ms. @default 2000 */
  heartbeatTimeout?: number;
  /** Failed pings in a row that make the state `disconnected`. @default 3 */
  maxFailedPings?: number;
  /**
   * Timeout of the follow-up probes after a missed pong, in ms. The missed pong has already
   * shown the host silent for `heartbeatTimeout`; the follow-ups only confirm it, so that a
   * silent host is `disconnected` within `heartbeatInterval + heartbeatTimeout +
   * (maxFailedPings - 1) * confirmTimeout` (7.5 s at defaults). @default 250
   */
  confirmTimeout?: number;
  /** Keep probing while disconnected and report `connected` at the first answer. @default true */
  autoRecover?: boolean;
  /** Answers to this many last pongs make `averageLatency`. @default 10 */
  latencySamples?: number;
  /**
   * A probe whose timeout fired this much later than due proves only that this frame was
   * asleep (a throttled background tab, a long task): it is probed again, not counted. @default 1000
   */
  lateTimerSlack?: number;
  /** Debug lines prefixed `[ConnectionMonitor]`. @default false */
  debug?: boolean;
}

export interface ConnectionMonitorOptions extends ConnectionMonitorConfig {
  /** The bridge (or any pinger); may also be given later with `attach`. */
  pinger?: Pinger | null;
  /** Where `visibilitychange`, `online` and `focus` come from. @default window, where there is one */
  target?: EventSource | null;
  /** The clock. @default Date.now (looked up at each call, so fake timers apply) */
  now?: () => number;
}

export const DEFAULT_CONNECTION_MONITOR_CONFIG = {
  heartbeatInterval: 5000,
  heartbeatTimeout: 2000,
  maxFailedPings: 3,
  confirmTimeout: 250,
  autoRecover: true,
  latencySamples: 10,
  lateTimerSlack: 1000,
  debug: false,
} as const satisfies Required<ConnectionMonitorConfig>;

type ResolvedConfig = { -readonly [K in keyof typeof DEFAULT_CONNECTION_MONITOR_CONFIG]: (typeof DEFAULT_CONNECTION_MONITOR_CONFIG)[K] extends boolean ? boolean : number };

/** Merges options over the defaults; `undefined` means "the default". */
export function normalizeConnectionMonitorConfig(config: ConnectionMonitorConfig = {}): ResolvedConfig {
  const resolved: ResolvedConfig = { ...DEFAULT_CONNECTION_MONITOR_CONFIG };
  for (const key of Object.keys(resolved) as (keyof ResolvedConfig)[]) {
    const value = config[key];
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

const defaultTarget = (): EventSource | null => (typeof window === 'undefined' ? null : window);

/**
 * Heartbeat over the bridge: tells whether the host page still answers.
 *
 * 1. While the host answers: one `ping` every `heartbeatInterval`, each allowed `heartbeatTimeout`.
 * 2. A ping without an answer in time (the bridge call rejects, `CONNECTION_TIMEOUT`
 *    included) counts as failed; follow-up probes go out at once, each allowed
 *    `confirmTimeout`, until an answer or `maxFailedPings` failures in a row
 *    (-> `disconnected`). A host stalled for less than `heartbeatTimeout` never misses one.
 * 3. While disconnected (with `autoRecover`) one probe is always in flight, a new one as
 *    soon as the last timed out, so the first answer after the host wakes flips the state
 *    back to `connected`.
 * 4. `checkConnection()`, the page becoming visible, `online` and `focus` probe at once.
 * 5. A probe whose timer fired long after it was due is not counted: it is sent again.
 */
export class ConnectionMonitor {
  readonly #config: ResolvedConfig;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #listeners = new Set<ConnectionListener>();
  readonly #latencies: number[] = [];
  #pinger: Pinger | null;
  #target: EventSource | null | undefined;
  #state: ConnectionState = 'connecting';
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: object | null = null;
  #stats = { lastPingTime: null as number | null, lastPongTime: null as number | null, failedPings: 0, totalPings: 0 };
  #detached: EventSource | null = null;

  constructor(options: ConnectionMonitorOptions = {}) {
    this.#config = normalizeConnectionMonitorConfig(options);
    this.#log = createLogger('ConnectionMonitor', this.#config.debug);
    this.#pinger = options.pinger ?? null;
    this.#target = options.target;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The resolved configuration (defaults filled in). */
  get config(): Readonly<ResolvedConfig> {
    return this.#config;
  }

  /** Binds the monitor to a bridge (or rebinds it); probes at once if started. */
  attach(pinger: Pinger | null): void {
    this.#pinger = pinger;
    this.#inFlight = null;
    if (this.#running) this.#probe();
  }

  /** Starts the heartbeat and the window listeners; the first probe goes out at once. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const target = this.#target === undefined ? defaultTarget() : this.#target;
    if (target) {
      target.addEventListener('visibilitychange', this.#onVisibility);
      target.addEventListener('online', this.#onWake);
      target.addEventListener('focus', this.#onWake);
      this.#detached = target;
    }
    this.#log('Started.');
    this.#probe();
  }

  /** Stops the heartbeat and removes the window listeners; an answer still in flight is ignored. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#inFlight = null;
    const target = this.#detached;
    if (target) {
      target.removeEventListener('visibilitychange', this.#onVisibility);
      target.removeEventListener('online', this.#onWake);
      target.removeEventListener('focus', this.#onWake);
    }
    this.#detached = null;
    this.#log('Stopped.');
  }

  /** {@link stop}, and drops every listener. */
  destroy(): void {
    this.stop();
    this.#listeners.clear();
  }

  /** Called with the new state and the stats on every state change; returns the unsubscribe. */
  addListener(listener: ConnectionListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  getState(): ConnectionState {
    return this.#state;
  }

  getStats(): ConnectionStats {
    const samples = this.#latencies;
    const averageLatency = samples.length === 0 ? 0 : samples.reduce((sum, value) => sum + value, 0) / samples.length;
    return { ...this.#stats, averageLatency };
  }

  /** Probes the host now (while started), unless a probe is already in flight. */
  checkConnection(): void {
    if (this.#running) this.#probe();
  }

  /** Whether the heartbeat runs. */
  isRunning(): boolean {
    return this.#running;
  }

  readonly #onVisibility = (): void => {
    const doc = this.#detached?.document ?? (typeof document === 'undefined' ? undefined : document);
    if (!doc || doc.visibilityState === 'visible') this.checkConnection();
  };

  readonly #onWake = (): void => this.checkConnection();

  #probe(): void {
    const pinger = this.#pinger;
    if (!this.#running || !pinger || this.#inFlight) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const confirming = this.#stats.failedPings > 0 && this.#state === 'connected';
    const timeout = confirming ? Math.min(this.#config.confirmTimeout, this.#config.heartbeatTimeout) : this.#config.heartbeatTimeout;
    const token = {};
    this.#inFlight = token;
    const sentAt = this.#now();
    this.#stats.lastPingTime = sentAt;
    this.#stats.totalPings++;
    let answer: Promise<number>;
    try {
      answer = pinger.callWithTimeout(timeout, 'ping', sentAt);
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      () => this.#onPong(token, sentAt),
      (error: unknown) => this.#onMiss(token, sentAt, timeout, error),
    );
  }

  #onPong(token: object, sentAt: number): void {
    if (token !== this.#inFlight) return;
    this.#inFlight = null;
    const now = this.#now();
    this.#latencies.push(Math.max(0, now - sentAt));
    if (this.#latencies.length > this.#config.latencySamples) this.#latencies.shift();
    this.#stats.lastPongTime = now;
    this.#stats.failedPings = 0;
    this.#setState('connected');
    this.#schedule(this.#config.heartbeatInterval);
  }

  #onMiss(token: object, sentAt: number, timeout: number, error: unknown): void {
    if (token !== this.#inFlight) return;
    this.#inFlight = null;
    const elapsed = this.#now() - sentAt;
    if (isFramewireError(error, ErrorCode.CONNECTION_TIMEOUT) && elapsed > timeout + this.#config.lateTimerSlack) {
      this.#log(`A probe timed out ${elapsed - timeout} ms late: this frame was asleep; probing again.`);
      this.#schedule(0);
      return;
    }
    this.#stats.failedPings++;
    this.#log(`Ping failed (${this.#stats.failedPings} in a row).`, error);
    if (this.#stats.failedPings >= this.#config.maxFailedPings) this.#setState('disconnected');
    if (this.#state === 'disconnected' && !this.#config.autoRecover) return;
    // The next probe goes when this one's time is up: at once after a timeout, and not in a
    // tight loop when the bridge rejects at once (destroyed, not yet connected).
    this.#schedule(Math.max(0, sentAt + timeout - this.#now()));
  }

  #schedule(delay: number): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#probe();
    }, delay);
  }

  #setState(next: ConnectionState): void {
    if (next === this.#state) return;
    this.#state = next;
    this.#log(`State: ${next}.`);
    const stats = this.getStats();
    for (const listener of [...this.#listeners]) listener(next, stats);
  }
}

/**
 * The shared monitor, created unbound: `connectionMonitor.attach(bridge)` then `start()`.
 * Creating it starts nothing and touches no window.
 */
export const connectionMonitor = new ConnectionMonitor();
