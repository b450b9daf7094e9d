import { CLICK_FIELDS, OFFER_SHOWN_EVENT } from '../../lib/protocol/collector';
import { DEFAULT_VARIANT_ID } from '../../lib/protocol/widget-limits';
import type { EventRow } from '../store/types';

/** What one stored event adds to the offers rollup: its offer, its variant, and which count. */
export interface OfferCount {
  offerId: string;
  /** `buttonVariantId`, or {@link DEFAULT_VARIANT_ID} when the event names none. */
  variantId: string;
  shown: number;
  clicked: number;
}

/**
 * An id the rollup can key on: a string of 1 to the click contract's 128 characters, so that
 * an `offer_shown` property and a click's column name an offer the same way. (Strings inside
 * `properties` are already storable on both engines: the ingest gate checked them.)
 */
function usableId(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}

/**
 * What an event adds to the offers rollup, or null for one that does not count.
 *
 * 1. A click (kind `click`) counts as `clicked` for its `offerId` column and its
 *    `buttonVariantId` column; a click without a variant (absent, null or empty) counts under
 *    `"default"`, as the widget sends for an offer without variants.
 * 2. An analytics event named `offer_shown` counts as `shown` for `properties.offerId` and
 *    `properties.buttonVariantId` (the same `"default"` rule). Without a usable string
 *    `offerId` it is stored like any event but not counted: there is no offer to count it for.
 * 3. Anything else does not count.
 */
export function offerCountOf(row: EventRow): OfferCount | null {
  if (row.kind === 'click') {
    const offerId = usableId(row.offerId, CLICK_FIELDS.offerId.max);
    if (offerId === null) return null;
    return { offerId, variantId: usableId(row.buttonVariantId, CLICK_FIELDS.buttonVariantId.max) ?? DEFAULT_VARIANT_ID, shown: 0, clicked: 1 };
  }
  if (row.name !== OFFER_SHOWN_EVENT) return null;
  const offerId = usableId(row.properties?.offerId, CLICK_FIELDS.offerId.max);
  if (offerId === null) return null;
  const variantId = usableId(row.properties?.buttonVariantId, CLICK_FIELDS.buttonVariantId.max) ?? DEFAULT_VARIANT_ID;
  return { offerId, variantId, shown: 1, clicked: 0 };
}

/**
 * `clicked / shown`, 0 when never shown. Reported as is, so it exceeds 1 when more clicks
 * arrived than `offer_shown` events (an older widget that sends no `offer_shown`, events
 * dropped by the visitor's browser): the report does not hide the mismatch.
 */
export const clickThroughRate = (shown: number, clicked: number): number => (shown > 0 ? clicked / shown : 0);
