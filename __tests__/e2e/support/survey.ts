import { DEFAULT_WIDGET_CONTENT, offersOf } from '../../../lib/protocol/widget-document';
import type { TestFrame } from './driver';

/**
 * The demo widget shows its built-in content (`DEFAULT_WIDGET_CONTENT`): answer `a-trail`
 * leads to `offer-trail` (two variants), `a-hiking` to `offer-boots`, `a-browse` to no
 * offer. An offer button appears only once its answer is picked.
 */
export const DEMO_OFFER_IDS = offersOf(DEFAULT_WIDGET_CONTENT).map(({ offer }) => offer.offerId);

/** The selector of an offer's button. */
export const offerButton = (offerId: string): string => `[data-testid="offer-button"][data-offer-id="${offerId}"]`;

/**
 * Picks the answer that leads to `offerId` in the open panel (unless its offer is already
 * on screen) and waits for the offer's button; returns the button's selector.
 */
export async function showOffer(widget: TestFrame, offerId = 'offer-trail'): Promise<string> {
  const entry = offersOf(DEFAULT_WIDGET_CONTENT).find(({ offer }) => offer.offerId === offerId);
  if (!entry) throw new Error(`No answer of the demo content leads to ${offerId}.`);
  const button = offerButton(offerId);
  const shown = await widget.evaluate((selector) => document.querySelector(selector) !== null, button);
  if (!shown) {
    const answer = `[data-testid="answer-button"][data-answer-id="${entry.answerId}"]`;
    await widget.waitForSelector(answer, { visible: true });
    await widget.click(answer);
  }
  await widget.waitForSelector(button, { visible: true });
  return button;
}
