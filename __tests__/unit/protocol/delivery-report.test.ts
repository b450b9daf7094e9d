import { describe, expect, test } from 'vitest';
import { deliveryReportSchema } from '../../../lib/protocol/delivery-health-schema';

describe('the $delivery report as the collector reads it', () => {
  test('keeps the known counters and caps the oldest wait', () => {
    const report = deliveryReportSchema.parse({ retries: 3, refused_too_old: 1, oldest_ms: 1e12 });
    expect(report).toEqual({ retries: 3, refused_too_old: 1, oldest_ms: 10_000_000_000 });
  });

  test('counts refusal reasons it does not list as refused_other instead of failing the report', () => {
    expect(deliveryReportSchema.parse({ refused_rate_limited: 2, refused_later_reason: 1, refused_other: 1, retries: 1 })).toEqual({ refused_other: 4, retries: 1 });
  });

  test('still fails a report with an unknown counter, or an unknown refusal that is not a number', () => {
    expect(deliveryReportSchema.safeParse({ surprise: 1 }).success).toBe(false);
    expect(deliveryReportSchema.safeParse({ refused_later_reason: 'x' }).success).toBe(false);
    expect(deliveryReportSchema.safeParse({ refused_later_reason: -1 }).success).toBe(false);
  });
});
