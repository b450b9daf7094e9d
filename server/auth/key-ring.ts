import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyGrant } from './api-key-grant';

/** Who presented a known key, and what it may reach. */
export interface ApiKeyPrincipal {
  owner: string;
  /** True when the key may reach this widget: its analytics, its erasures, its registry document. */
  canAccess(widgetId: string): boolean;
}

/** The configured API keys, looked up in constant time. */
export interface KeyRing {
  /** The holder of `key`, or `null` for an unknown key. */
  authenticate(key: string): ApiKeyPrincipal | null;
  /** Number of keys. */
  readonly size: number;
}

interface Entry {
  digest: Buffer;
  principal: ApiKeyPrincipal;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Keeps only the sha256 of each key. A presented key is hashed too and compared with every
 * stored digest by `timingSafeEqual`, without stopping at the first match: the time taken
 * says nothing about how much of a key was right, nor which key matched.
 */
export function createKeyRing(grants: readonly ApiKeyGrant[]): KeyRing {
  const entries: Entry[] = grants.map((grant) => {
    const widgets = grant.widgets === '*' ? null : new Set(grant.widgets);
    return {
      digest: sha256(grant.key),
      principal: Object.freeze({
        owner: grant.owner,
        canAccess: (widgetId: string) => widgets === null || widgets.has(widgetId),
      }),
    };
  });
  return {
    authenticate(key) {
      const digest = sha256(key);
      let found: ApiKeyPrincipal | null = null;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
      }
      return found;
    },
    get size() {
      return entries.length;
    },
  };
}
