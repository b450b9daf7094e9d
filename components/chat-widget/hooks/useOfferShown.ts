import { useEffect, useRef } from 'react';
import { OfferViews } from '../../../lib/chat-widget/offer-views';
import { WIDGET_EVENTS } from '../../../lib/chat-widget/tracker';
import type { Tracker } from '../../../lib/chat-widget/tracker';

/** An offer on screen, with the variant its button shows. */
export interface VisibleOffer {
  offerId: string;
  questionId: string;
  buttonVariantId: string;
}

/**
 * Records `offer_shown` once per offer per page view, when the open panel shows it: not
 * while minimised, and not again when the panel is closed and reopened.
 */
export function useOfferShown(tracker: Tracker | null, open: boolean, offers: readonly VisibleOffer[]): void {
  const views = useRef<OfferViews | null>(null);
  const key = offers.map((offer) => `${offer.offerId}\u0000${offer.questionId}\u0000${offer.buttonVariantId}`).join('\u0001');
  useEffect(() => {
    if (!open || !tracker) return;
    views.current ??= new OfferViews();
    for (const offer of offers) {
      if (views.current.firstView(offer.offerId)) tracker.event(WIDGET_EVENTS.offerShown, { ...offer }, 'conversion');
    }
    // `key` stands for `offers`: a new array with the same offers must not run it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, tracker, key]);
}
