import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../lib/protocol/conversations';

/*
 * The signature of a webhook delivery, both sides: the collector signs, a receiver (the demo
 * bot, any bot) verifies. Header `X-Framewire-Signature: t=<unix seconds>,v1=<hex>` where
 * `<hex>` is HMAC-SHA256, keyed with the widget's webhook secret (its text, as UTF-8), of
 * `"<t>.<raw body>"`. The timestamp inside the signed text stops an old delivery from being
 * replayed later; receivers accept `t` within `WEBHOOK_TOLERANCE_SECONDS` of their clock.
 */

/** The hex HMAC-SHA256 of `"<t>.<body>"` under `secret`. */
export function webhookSignatureDigest(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `X-Framewire-Signature` value of `body` sent at `timestampSeconds`. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${webhookSignatureDigest(secret, timestampSeconds, body)}`;
}

/** Why a signature was refused, or `ok`. */
export type WebhookVerdict = 'ok' | 'malformed' | 'expired' | 'mismatch';

/** What {@link verifyWebhookSignature} checks. */
export interface VerifyWebhookInput {
  secret: string;
  /** The raw body exactly as received (before any JSON parsing). */
  body: string;
  /** The `X-Framewire-Signature` header. */
  header: string | undefined;
  /** The receiver's clock, in seconds since the epoch. */
  nowSeconds: number;
  /** @default WEBHOOK_TOLERANCE_SECONDS (300) */
  toleranceSeconds?: number;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * Checks a delivery's signature.
 *
 * 1. The header parses as `t=<digits>` and one or more `v1=<64 hex>` (several: any may match).
 * 2. `t` is within the tolerance of the receiver's clock, either way.
 * 3. One `v1` equals the HMAC of `"<t>.<body>"`, compared in constant time.
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): WebhookVerdict {
  if (input.header === undefined) return 'malformed';
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of input.header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && HEX_DIGEST.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return 'malformed';
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return 'expired';
  const expected = Buffer.from(webhookSignatureDigest(input.secret, timestamp, input.body), 'hex');
  // Every candidate is compared, so the time taken does not say which one (if any) matched.
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? 'ok' : 'mismatch';
}
