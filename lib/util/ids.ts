/** `length` random bytes from the platform's cryptographic source, in hex. */
function randomHex(length: number): string {
  let out = '';
  for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(length))) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A random id for one-off tokens such as handshake nonces (128 bits, hex). */
export function randomId(): string {
  return randomHex(16);
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of millisecond time, then random bits. Ids sort
 * by creation time, which keeps database index inserts at the end of the index.
 */
export function uuidv7(now: number = Date.now()): string {
  // 12 hex digits of time, 20 random ones; digit 12 becomes the version (7), digit 16
  // the variant (binary 10xx: 8, 9, a or b).
  const h = now.toString(16).padStart(12, '0') + randomHex(10);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${'89ab'[parseInt(h[16] as string, 16) & 3]}${h.slice(17, 20)}-${h.slice(20)}`;
}
