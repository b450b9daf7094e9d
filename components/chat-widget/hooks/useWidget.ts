import { createContext, useCallback, useContext, useMemo } from 'react';
import type { Tracker } from '../../../lib/chat-widget/tracker';
import type { Offer } from '../../../lib/chat-widget/chat-types';

/** The tracker of the widget being rendered (set by `ChatWidget`). */
export const TrackerContext = createContext<Tracker | null>(null);

export interface WidgetTracking {
  /** Records an offer click (and its `offer_clicked` analytics event). */
  trackClick(offer: Offer): void;
  /** Records an analytics event with small plain-JSON properties. */
  track(name: string, properties?: Record<string, unknown>, category?: string): void;
}

/**
 * Click and event tracking for components inside `ChatWidget`. Events cross the bridge
 * into the host page's persistent queues; while the host is silent the widget keeps them
 * and hands them over on reconnect. Outside a widget (no tracker) the calls do nothing.
 */
export function useWidget(): WidgetTracking {
  const tracker = useContext(TrackerContext);
  const trackClick = useCallback(
    (offer: Offer) => tracker?.click({ offerId: offer.id, questionId: offer.questionId, buttonVariantId: offer.buttonVariantId }),
    [tracker],
  );
  const track = useCallback(
    (name: string, properties?: Record<string, unknown>, category?: string) => tracker?.event(name, properties, category),
    [tracker],
  );
  return useMemo(() => ({ trackClick, track }), [trackClick, track]);
}
