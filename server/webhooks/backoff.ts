/** When deliveries are tried again, and for how long. */
export interface WebhookRetryPolicy {
  /**
   * Wait after the first failed attempt; doubles with each further one.
   * @default 10000
   */
  baseDelayMs: number;
  /**
   * Longest wait between two attempts.
   * @default 3600000 (1 h)
   */
  maxDelayMs: number;
  /**
   * A delivery still failing this long after it was written is given up (kept, not sent).
   * @default 86400000 (24 h)
   */
  giveUpAfterMs: number;
}

/** Defaults of {@link WebhookRetryPolicy}. */
export const DEFAULT_WEBHOOK_RETRY_POLICY: Readonly<WebhookRetryPolicy> = Object.freeze({
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
});

/**
 * The wait after the `attempts`-th failed attempt (1, 2, …): `base × 2^(attempts-1)`, at most
 * `maxDelayMs`, then scaled into [½, 1] of itself by `random` (jitter: deliveries that failed
 * together, a receiver's outage, do not all come back in the same second).
 */
export function retryDelayMs(attempts: number, policy: WebhookRetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const capped = Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
  return Math.round(capped / 2 + (capped / 2) * random());
}
