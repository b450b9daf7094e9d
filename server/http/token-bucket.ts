/** Options of {@link createTokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Bucket size (tokens); `0` lets everything through. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
  /** Buckets kept before full ones are swept, then the oldest dropped. */
  maxBuckets: number;
  /** The clock, in ms. */
  now: () => number;
}

/** The answer of {@link TokenBucketLimiter.take}. */
export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Token buckets by key, kept in memory only. */
export interface TokenBucketLimiter {
  /** Takes `cost` tokens from `key`'s bucket, or says how long to wait for them. */
  take(key: string, cost: number): TakeResult;
  /** Number of buckets held. */
  readonly size: number;
  /** Forgets every bucket. */
  destroy(): void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets refilled lazily from the injected clock: no timers, so nothing to stop, and
 * memory bounded by `maxBuckets`.
 */
export function createTokenBucketLimiter(options: TokenBucketOptions): TokenBucketLimiter {
  const buckets = new Map<string, Bucket>();
  const { capacity, refillPerSecond } = options;

  const refill = (bucket: Bucket, now: number): void => {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);
    bucket.updatedAt = now;
  };

  const sweep = (now: number): void => {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= capacity) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size < options.maxBuckets) break;
      buckets.delete(key);
    }
  };

  return {
    take(key, cost) {
      if (capacity <= 0) return { allowed: true };
      const now = options.now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= options.maxBuckets) sweep(now);
        bucket = { tokens: capacity, updatedAt: now };
        buckets.set(key, bucket);
      } else {
        refill(bucket, now);
      }
      const needed = Math.min(cost, capacity);
      if (bucket.tokens >= needed) {
        bucket.tokens -= needed;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - bucket.tokens) / refillPerSecond)) };
    },
    get size() {
      return buckets.size;
    },
    destroy() {
      buckets.clear();
    },
  };
}
