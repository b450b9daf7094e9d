import type { QueueConfig } from './config';

/**
 * The wait before retry number `failures` (1 for the first): 2, 4, 8, 16, 30, 30 … s with
 * the defaults, or the seconds a `Retry-After` header asks for, capped at `maxRetryAfter`;
 * plus jitter, so that many pages cut off together do not all come back in the same second.
 * (The collector sends `Retry-After` in seconds; an HTTP date falls back to the backoff.)
 */
export function retryDelay(config: QueueConfig, failures: number, retryAfter: string | null, random: () => number): number {
  const asked = Number(retryAfter || NaN) * 1000;
  const delay = asked >= 0 ? Math.min(asked, config.maxRetryAfter) : Math.min(config.initialRetryDelay * 2 ** (failures - 1), config.maxRetryDelay);
  return delay * (1 + config.jitter * random());
}
