import { ErrorCode, isFramewireError } from '../../protocol/errors';
import { abortableDelay, retryDelay } from '../retry';
import type { RetryConfig } from '../retry';
import type { StorageBridge } from './config';
import type { Write } from './write-queue';

/** A failure that says the host did not answer (try again later), not that it refused. */
export const isConnectionError = (error: unknown): boolean =>
  !isFramewireError(error) || error.code === ErrorCode.CONNECTION_TIMEOUT || error.code === ErrorCode.CONNECTION_DESTROYED;

/** Sends one write to the host: `setItem`, or `removeItem` for `value: null`. */
export function sendWrite(bridge: StorageBridge, timeoutMs: number, write: Write): Promise<unknown> {
  return write.value === null
    ? bridge.callWithTimeout(timeoutMs, 'removeItem', write.key)
    : bridge.callWithTimeout(timeoutMs, 'setItem', write.key, write.value);
}

/** How a host call ended after its retries. */
export type HostCallResult<T> = { outcome: 'answered'; value: T } | { outcome: 'refused'; error: unknown } | { outcome: 'unreachable' };

export interface HostCallRetries {
  config: Required<RetryConfig>;
  /** Aborting it ends the wait before the next try: the call is `unreachable` at once. */
  signal: AbortSignal;
  /** Called after each failed try, before anything else. */
  onError?: (error: unknown, attempt: number) => void;
  /** Called after each try the host did not answer (to make the monitor probe). */
  onUnanswered?: () => void;
  /** Whether another try makes sense (the connection as it is now). */
  canRetry: () => boolean;
}

/**
 * Calls the host up to `maxAttempts` times with backoff while it does not answer; a refusal
 * (any error but a timeout or a destroyed connection) ends the tries at once.
 */
export async function callWithRetries<T>(call: () => Promise<T>, retries: HostCallRetries): Promise<HostCallResult<T>> {
  const { config, signal } = retries;
  for (let attempt = 0; attempt < config.maxAttempts; attempt++) {
    try {
      return { outcome: 'answered', value: await call() };
    } catch (error) {
      retries.onError?.(error, attempt);
      if (!isConnectionError(error)) return { outcome: 'refused', error };
      retries.onUnanswered?.();
      if (attempt === config.maxAttempts - 1 || !retries.canRetry()) break;
      if (!(await abortableDelay(retryDelay(config, attempt), signal))) break;
    }
  }
  return { outcome: 'unreachable' };
}
