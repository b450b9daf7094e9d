import { describe, expect, test } from 'vitest';
import { firstVariant, fnv1a32, variantFor } from '../../../lib/chat-widget/variant';
import { DEFAULT_VARIANT_ID } from '../../../lib/protocol/widget-limits';
import type { Offer } from '../../../lib/protocol/widget-document';
import { uuidv7 } from '../../../lib/util/ids';

const offerWith = (count: number, offerId = 'offer-trail'): Offer => ({
  offerId,
  label: 'Trail shoes',
  variants: Array.from({ length: count }, (_, i) => ({ buttonVariantId: `v-${i}`, label: `Variant ${i}` })),
});

/** mulberry32: a seeded generator, so the share test is the same on every run (a fair draw, not a flaky one). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Visitor ids shaped as the tracker makes them (UUIDv7: a time prefix, then random bits), from `random`. */
function visitorIds(count: number, random: () => number): string[] {
  const hex = (digits: number): string =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const start = 1_764_547_200_000;
  return Array.from({ length: count }, () => {
    const time = (start + Math.floor(random() * 90 * 86_400_000)).toString(16).padStart(12, '0');
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
  });
}

describe('the visitor variant of an offer', () => {
  test('FNV-1a 32 matches the reference values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  test('is the same for the same visitor and offer, call after call (and so reload after reload)', () => {
    const offer = offerWith(4);
    for (let i = 0; i < 50; i++) {
      const visitor = uuidv7();
      const first = variantFor(visitor, offer);
      for (let j = 0; j < 5; j++) expect(variantFor(visitor, { ...offer, variants: [...(offer.variants ?? [])] })).toEqual(first);
    }
  });

  test('an offer without variants shows its own label, and clicks carry "default"', () => {
    expect(variantFor('visitor', { offerId: 'offer-boots', label: 'See hiking boots' })).toEqual({ buttonVariantId: DEFAULT_VARIANT_ID, label: 'See hiking boots' });
    expect(firstVariant({ label: 'See hiking boots' })).toEqual({ buttonVariantId: DEFAULT_VARIANT_ID, label: 'See hiking boots' });
    expect(firstVariant(offerWith(3))).toEqual({ buttonVariantId: 'v-0', label: 'Variant 0' });
  });

  test.each([2, 3, 4])('over 10,000 random visitors, each of %i variants gets an even share within 5 %% (relative)', (count) => {
    const offer = offerWith(count);
    const shares = new Map<string, number>();
    const visitors = 10_000;
    for (const visitor of visitorIds(visitors, seeded(count))) {
      const { buttonVariantId } = variantFor(visitor, offer);
      shares.set(buttonVariantId, (shares.get(buttonVariantId) ?? 0) + 1);
    }
    expect([...shares.keys()].sort()).toEqual(offer.variants?.map((v) => v.buttonVariantId));
    const even = visitors / count;
    for (const n of shares.values()) expect(Math.abs(n - even) / even).toBeLessThanOrEqual(0.05);
  });

  test('depends on the offer: a visitor does not get the same index for every offer', () => {
    const visitor = 'visitor-1';
    const indexes = new Set(Array.from({ length: 20 }, (_, i) => variantFor(visitor, offerWith(4, `offer-${i}`)).buttonVariantId));
    expect(indexes.size).toBeGreaterThan(1);
  });
});
