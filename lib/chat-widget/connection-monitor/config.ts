import { normalizeSettings } from '../../util/normalize-options';
import type { Pinger } from './types';

/** The window events that make the monitor probe at once. */
export type EventSource = Pick<Window, 'addEventListener' | 'removeEventListener'> & { document?: Pick<Document, 'visibilityState'> };

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

export type ResolvedConnectionMonitorConfig = { -readonly [K in keyof typeof DEFAULT_CONNECTION_MONITOR_CONFIG]: (typeof DEFAULT_CONNECTION_MONITOR_CONFIG)[K] extends boolean ? boolean : number };

/** Merges options over the defaults; `undefined` means "the default". */
export function normalizeConnectionMonitorConfig(config: ConnectionMonitorConfig = {}): ResolvedConnectionMonitorConfig {
  return normalizeSettings<ResolvedConnectionMonitorConfig>(DEFAULT_CONNECTION_MONITOR_CONFIG, config);
}
