import { ErrorCode, isFramewireError } from '../../protocol/errors';
import { createLogger } from '../../util/logger';
import type { Logger } from '../../util/logger';
import { normalizeConnectionMonitorConfig } from './config';
import type { ConnectionMonitorOptions, EventSource, ResolvedConnectionMonitorConfig } from './config';
import { LatencyWindow } from './latency-window';
import type { ConnectionListener, ConnectionState, ConnectionStats, Pinger } from './types';
import { listenForWake } from './wake-events';

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
  readonly #config: ResolvedConnectionMonitorConfig;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #listeners = new Set<ConnectionListener>();
  readonly #roundTripListeners = new Set<(ms: number) => void>();
  readonly #latencies: LatencyWindow;
  #pinger: Pinger | null;
  #target: EventSource | null | undefined;
  #state: ConnectionState = 'connecting';
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: object | null = null;
  #stats = { lastPingTime: null as number | null, lastPongTime: null as number | null, failedPings: 0, totalPings: 0 };
  #unlisten: (() => void) | null = null;

  constructor(options: ConnectionMonitorOptions = {}) {
    this.#config = normalizeConnectionMonitorConfig(options);
    this.#log = createLogger('ConnectionMonitor', this.#config.debug);
    this.#latencies = new LatencyWindow(this.#config.latencySamples);
    this.#pinger = options.pinger ?? null;
    this.#target = options.target;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The resolved configuration (defaults filled in). */
  get config(): Readonly<ResolvedConnectionMonitorConfig> {
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
    if (target) this.#unlisten = listenForWake(target, () => this.checkConnection());
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
    this.#unlisten?.();
    this.#unlisten = null;
    this.#log('Stopped.');
  }

  /** {@link stop}, and drops every listener. */
  destroy(): void {
    this.stop();
    this.#listeners.clear();
    this.#roundTripListeners.clear();
  }

  /** Called with each answered probe's round trip (ms); returns the unsubscribe. */
  addRoundTripListener(listener: (ms: number) => void): () => void {
    this.#roundTripListeners.add(listener);
    return () => void this.#roundTripListeners.delete(listener);
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
    return { ...this.#stats, averageLatency: this.#latencies.average() };
  }

  /** Probes the host now (while started), unless a probe is already in flight. */
  checkConnection(): void {
    if (this.#running) this.#probe();
  }

  /** Whether the heartbeat runs. */
  isRunning(): boolean {
    return this.#running;
  }

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
    this.#latencies.add(now - sentAt);
    for (const listener of [...this.#roundTripListeners]) listener(Math.max(0, now - sentAt));
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
