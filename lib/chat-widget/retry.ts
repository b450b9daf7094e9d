/** Retry schedule of a host call: `maxAttempts` tries, waits growing by `backoffMultiplier`. */
export interface RetryConfig {
  /** Tries in all, the first included. @default 3 */
  maxAttempts?: number;
  /** Wait before the second try, in ms. @default 100 */
  initialDelay?: number;
  /** Longest wait between tries, in ms. @default 2000 */
  maxDelay?: number;
  /** Each wait is the last one times this. @default 2 */
  backoffMultiplier?: number;
}

/** The wait before try `attempt + 2` (0-based `attempt` is the try that just failed). */
export function retryDelay(config: Required<RetryConfig>, attempt: number): number {
  return Math.min(config.initialDelay * config.backoffMultiplier ** attempt, config.maxDelay);
}

/** Resolves after `ms`, or at once when `signal` aborts (resolving `false` then). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
