import { DELIVERY_REPORT_INTERVAL_MS, MAX_HEALTH_COUNT, MAX_ROUND_TRIP_MS } from '../../protocol/delivery-health';
import type { BridgeReport } from '../../protocol/delivery-health';
import type { ConnectionMonitor } from './monitor';

/** Round trips kept between two reports; beyond, the oldest go (a minute holds about 12). */
const MAX_SAMPLES = 1000;

/** The value at rank `q` (0..1) of sorted numbers (nearest rank). */
const rank = (sorted: readonly number[], q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;

/**
 * The widget's bridge figures since its last `$bridge` report: how often the host page went
 * silent (connected → disconnected) and the heartbeat's round trips. In memory: a widget
 * that goes before reporting takes its figures with it.
 */
export class BridgeFigures {
  readonly #samples: number[] = [];
  #disconnects = 0;
  #last: number;
  readonly #now: () => number;
  readonly #unsubscribe: (() => void)[];

  constructor(monitor: Pick<ConnectionMonitor, 'addListener' | 'addRoundTripListener'>, now: () => number = () => Date.now()) {
    this.#now = now;
    // The first report a minute after the widget starts: a minute's worth of figures.
    this.#last = now();
    this.#unsubscribe = [
      monitor.addListener((state) => {
        if (state === 'disconnected') this.#disconnects = Math.min(MAX_HEALTH_COUNT, this.#disconnects + 1);
      }),
      monitor.addRoundTripListener((ms) => {
        if (this.#samples.push(Math.min(ms, MAX_ROUND_TRIP_MS)) > MAX_SAMPLES) this.#samples.shift();
      }),
    ];
  }

  /**
   * The report of the figures since the last one, when at least `DELIVERY_REPORT_INTERVAL_MS`
   * has passed and there is something to report; the figures then start again. Else null.
   */
  take(): BridgeReport | null {
    const now = this.#now();
    if (now - this.#last < DELIVERY_REPORT_INTERVAL_MS || (this.#samples.length === 0 && this.#disconnects === 0)) return null;
    this.#last = now;
    const sorted = this.#samples.splice(0).sort((a, b) => a - b);
    const report: BridgeReport = { disconnects: this.#disconnects, samples: sorted.length };
    this.#disconnects = 0;
    if (sorted.length > 0) {
      report.p50_ms = Math.round(rank(sorted, 0.5));
      report.p99_ms = Math.round(rank(sorted, 0.99));
    }
    return report;
  }

  /** Stops listening to the monitor. */
  destroy(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
