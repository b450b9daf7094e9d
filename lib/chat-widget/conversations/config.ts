import { STREAM_HEARTBEAT_SECONDS, CONVERSATION_LIMITS } from '../../protocol/conversations';

/** Settings of the widget's conversation client. Times in ms. */
export interface ConversationClientConfig {
  /** Deadline of one request to the collector, body included (a long poll adds its wait). @default 10000 */
  requestTimeoutMs: number;
  /** First wait before a failed send or a lost stream is tried again; doubles. @default 1000 */
  retryDelayMs: number;
  /** Longest of those waits. @default 30000 */
  maxRetryDelayMs: number;
  /** Tries of one message (network errors, 408, 429, 5xx) before it is `failed`. @default 5 */
  maxSendAttempts: number;
  /** A stream that sends nothing, not even its heartbeat, for this long is dead and reopened. @default 30000 (2 × STREAM_HEARTBEAT_SECONDS) */
  deadStreamMs: number;
  /** `wait` of a long poll, in seconds. @default 25 */
  longPollSeconds: number;
  /** @default false */
  debug: boolean;
}

export const DEFAULT_CONVERSATION_CLIENT_CONFIG: Readonly<ConversationClientConfig> = Object.freeze({
  requestTimeoutMs: 10_000,
  retryDelayMs: 1000,
  maxRetryDelayMs: 30_000,
  maxSendAttempts: 5,
  deadStreamMs: 2 * STREAM_HEARTBEAT_SECONDS * 1000,
  longPollSeconds: CONVERSATION_LIMITS.longPollSeconds,
  debug: false,
});

/** The wait before try `attempt + 2` (`attempt`: the 0-based try that just failed). */
export function backoffMs(config: Pick<ConversationClientConfig, 'retryDelayMs' | 'maxRetryDelayMs'>, attempt: number): number {
  return Math.min(config.retryDelayMs * 2 ** attempt, config.maxRetryDelayMs);
}
