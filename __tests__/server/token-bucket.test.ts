import { describe, expect, it } from 'vitest';
import { createTokenBucketLimiter } from '../../server/http';

function limiter(capacity: number, refillPerSecond: number, maxBuckets = 100) {
  let now = 0;
  const bucket = createTokenBucketLimiter({ capacity, refillPerSecond, maxBuckets, now: () => now });
  return { bucket, advance: (ms: number) => (now += ms) };
}

describe('token bucket limiter', () => {
  it('allows a burst up to the capacity, then says when enough tokens are back', () => {
    const { bucket } = limiter(20, 4);
    expect(bucket.take('k', 10)).toEqual({ allowed: true });
    expect(bucket.take('k', 10)).toEqual({ allowed: true });
    expect(bucket.take('k', 10)).toEqual({ allowed: false, retryAfterSeconds: 3 });
  });

  it('refills over time from the injected clock', () => {
    const { bucket, advance } = limiter(10, 5);
    bucket.take('k', 10);
    advance(1000);
    expect(bucket.take('k', 5)).toEqual({ allowed: true });
    expect(bucket.take('k', 1).allowed).toBe(false);
  });

  it('keeps keys apart', () => {
    const { bucket } = limiter(5, 1);
    bucket.take('a', 5);
    expect(bucket.take('b', 5).allowed).toBe(true);
  });

  it('lets everything through when the capacity is 0', () => {
    const { bucket } = limiter(0, 1);
    expect(bucket.take('k', 1_000_000)).toEqual({ allowed: true });
    expect(bucket.size).toBe(0);
  });

  it('bounds memory by sweeping idle buckets, then dropping the oldest', () => {
    const { bucket, advance } = limiter(10, 10, 3);
    for (const key of ['a', 'b', 'c']) bucket.take(key, 5);
    advance(1000);
    bucket.take('d', 1);
    expect(bucket.size).toBe(1);
    for (const key of ['e', 'f', 'g', 'h']) bucket.take(key, 5);
    expect(bucket.size).toBeLessThanOrEqual(3);
    bucket.destroy();
    expect(bucket.size).toBe(0);
  });
});
