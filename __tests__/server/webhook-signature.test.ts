import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../lib/protocol/conversations';
import { signWebhook, verifyWebhookSignature } from '../../server/webhooks';

const SECRET = 'n0t-a-real-secret_but-43-characters-long-xx';
const BODY = JSON.stringify({ type: 'message.created', widgetId: 'shop', message: { text: 'héllo 👋' } });
const T = 1_767_268_800;

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 of the secret, as the docs tell receivers to compute it', () => {
    const header = signWebhook(SECRET, BODY, T);
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${T},v1=${expected}`);
  });

  it('verifies what it signed, within the tolerance either way', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T })).toBe('ok');
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T + WEBHOOK_TOLERANCE_SECONDS })).toBe('ok');
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T - WEBHOOK_TOLERANCE_SECONDS })).toBe('ok');
  });

  it('refuses a tampered body, another secret, and a timestamp changed after signing', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY.replace('shop', 'shoq'), header, nowSeconds: T })).toBe('mismatch');
    expect(verifyWebhookSignature({ secret: `${SECRET}x`, body: BODY, header, nowSeconds: T })).toBe('mismatch');
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header: header.replace(`t=${T}`, `t=${T + 1}`), nowSeconds: T })).toBe('mismatch');
  });

  it('refuses a signature older (or newer) than the tolerance', () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T + WEBHOOK_TOLERANCE_SECONDS + 1 })).toBe('expired');
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T - WEBHOOK_TOLERANCE_SECONDS - 1 })).toBe('expired');
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T + 61, toleranceSeconds: 60 })).toBe('expired');
  });

  it('accepts any matching v1 of several (a receiver may be given two during a rotation)', () => {
    const good = signWebhook(SECRET, BODY, T).split(',')[1];
    expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header: `t=${T},v1=${'0'.repeat(64)},${good}`, nowSeconds: T })).toBe('ok');
  });

  it('calls a missing or malformed header malformed', () => {
    for (const header of [undefined, '', `t=${T}`, `v1=${'a'.repeat(64)}`, `t=soon,v1=${'a'.repeat(64)}`, `t=${T},v1=xyz`]) {
      expect(verifyWebhookSignature({ secret: SECRET, body: BODY, header, nowSeconds: T }), String(header)).toBe('malformed');
    }
  });
});
