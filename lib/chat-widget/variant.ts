import { DEFAULT_VARIANT_ID } from '../protocol/widget-limits';
import type { Offer } from '../protocol/widget-document';

/** What the visitor sees of an offer's button, and what its clicks carry. */
export interface ShownVariant {
  /** The variant's id, or `"default"` for an offer without variants. */
  buttonVariantId: string;
  /** The button's label: the variant's, or the offer's own. */
  label: string;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`: small, fast, well spread for short ids. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * The visitor's variant of an offer: stable for a visitor (the same on every page view and
 * in every tab, as the visitor id is), independent between offers, and spread evenly over
 * visitors. `visitorId` is the session id the tracker sends as `anonymousId`.
 */
export function variantFor(visitorId: string, offer: Pick<Offer, 'offerId' | 'label' | 'variants'>): ShownVariant {
  const variants = offer.variants ?? [];
  if (variants.length === 0) return { buttonVariantId: DEFAULT_VARIANT_ID, label: offer.label };
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  const index = fnv1a32(`${visitorId}\u0000${offer.offerId}`) % variants.length;
  const variant = variants[index] ?? variants[0];
  return variant ? { buttonVariantId: variant.buttonVariantId, label: variant.label } : { buttonVariantId: DEFAULT_VARIANT_ID, label: offer.label };
}

/** The first variant (what the dashboard's preview shows), or the offer's own button. */
export function firstVariant(offer: Pick<Offer, 'label' | 'variants'>): ShownVariant {
  const first = offer.variants?.[0];
  return first ? { buttonVariantId: first.buttonVariantId, label: first.label } : { buttonVariantId: DEFAULT_VARIANT_ID, label: offer.label };
}
