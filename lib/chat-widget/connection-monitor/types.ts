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
