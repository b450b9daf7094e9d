import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from './private-address';

/** One address of a host, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Finds every address of a host name (`dns.lookup` with `all`); injectable for tests. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver, every address, in the order it prefers. */
export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Where a webhook may be sent, or why not. */
export type WebhookTarget =
  | { ok: true; url: URL; address: ResolvedAddress }
  /** `private address`: refused for good; `unresolved`: the name did not resolve (retried). */
  | { ok: false; reason: 'private address' | 'unresolved'; detail: string };

/** Options of {@link resolveWebhookTarget}. */
export interface ResolveTargetOptions {
  /** Allow loopback, private and link-local targets (`FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE`). */
  allowPrivate: boolean;
  /** @default systemLookup */
  lookup?: HostLookup;
  /**
   * Deadline of the lookup: `getaddrinfo` cannot be cancelled, so the wait is cut instead.
   * @default 5000
   */
  timeoutMs?: number;
}

/**
 * Resolves a webhook URL's host and checks every address it has.
 *
 * 1. An IP literal is checked as it is; a name is resolved (all addresses, with a deadline).
 * 2. Without `allowPrivate`, any private address among them refuses the URL: a name that
 *    answers both a public and a private address must not reach the private one by chance.
 * 3. The answer names the one address to connect to; the request is pinned to it, so a DNS
 *    answer that changes between the check and the connection (rebinding) is never used.
 */
export async function resolveWebhookTarget(rawUrl: string, options: ResolveTargetOptions): Promise<WebhookTarget> {
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    const timeoutMs = options.timeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      addresses = await Promise.race([
        (options.lookup ?? systemLookup)(host),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      return { ok: false, reason: 'unresolved', detail: `${host}: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }
  const first = addresses[0];
  if (first === undefined) return { ok: false, reason: 'unresolved', detail: `${host}: no address` };
  if (!options.allowPrivate) {
    const refused = addresses.find((candidate) => isPrivateAddress(candidate.address));
    if (refused !== undefined) return { ok: false, reason: 'private address', detail: `${host} resolves to ${refused.address}` };
  }
  return { ok: true, url, address: first };
}
