import { isIPv4, isIPv6 } from 'node:net';

function expandIPv6(address: string): number[] | null {
  const [head = '', tail, extra] = address.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/**
 * Anonymizes a client address before it is stored: IPv4 keeps its first three octets
 * (`203.0.113.77` → `203.0.113.0`), IPv6 its first 48 bits (`2001:db8:abcd::`). IPv4-mapped IPv6
 * addresses are treated as IPv4. Anything else gives `null`: a raw address is never returned.
 */
export function anonymizeIp(address: string | undefined | null): string | null {
  if (!address) return null;
  const zone = address.indexOf('%');
  const ip = zone === -1 ? address : address.slice(0, zone);
  if (isIPv4(ip)) return ip.replace(/\.\d+$/, '.0');
  if (!isIPv6(ip)) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return anonymizeIp(mapped[1]);
  if (ip.includes('.')) return null; // other embedded-IPv4 forms: too rare to be worth parsing
  const groups = expandIPv6(ip);
  if (groups === null) return null;
  return `${groups.slice(0, 3).map((group) => group.toString(16)).join(':')}::`;
}
