import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a conversation's secret (43 characters of base64url). */
const SECRET_BYTES = 32;

/** A new conversation secret: 32 random bytes, base64url. */
export const issueSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/** What the store keeps of a secret: its sha256, hex. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

const UNKNOWN_DIGEST = Buffer.alloc(32);

/**
 * Whether `presented` is the secret whose digest is `storedHex`, in constant time: both sides
 * are sha256 digests of the same length, compared with `timingSafeEqual`, so the time taken
 * says nothing of how much of the secret was right. A missing secret or an unknown
 * conversation (`storedHex` null) is hashed and compared too, and is never a match.
 */
export function secretMatches(presented: string | undefined, storedHex: string | null): boolean {
  const digest = createHash('sha256').update(presented ?? '', 'utf8').digest();
  const stored = storedHex === null ? UNKNOWN_DIGEST : Buffer.from(storedHex, 'hex');
  if (stored.length !== digest.length) return false;
  return timingSafeEqual(digest, stored) && presented !== undefined && storedHex !== null;
}
