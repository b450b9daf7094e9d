import { randomBytes } from 'node:crypto';

/** Random bytes of a webhook signing secret (32: as strong as the HMAC-SHA256 it keys). */
export const WEBHOOK_SECRET_BYTES = 32;

/** A new webhook signing secret: 32 random bytes as base64url (43 characters). */
export function generateWebhookSecret(): string {
  return randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url');
}
