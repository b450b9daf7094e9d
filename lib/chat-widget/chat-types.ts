/**
 * An offer as clicked: what `onOfferClick` and `useWidget().trackClick` get. `id` is the
 * offer's `offerId`, `label` the button's label (the variant's, with variants).
 */
export interface Offer {
  id: string;
  label: string;
  /** Where the offer leads, opened in a new tab; none: the click only answers the question. */
  url?: string;
  questionId: string;
  buttonVariantId: string;
}

/**
 * A survey question in the shape `ChatWidget`'s former `survey` prop took.
 * @deprecated The survey comes from the widget's config (`WidgetContent` in `lib/protocol/widget-document.ts`).
 */
export interface SurveyQuestion {
  id: string;
  text: string;
  offers: readonly Offer[];
}

/**
 * One line of the conversation: the visitor's, or an answer (an agent's or a bot's from the
 * collector; without a collector, the widget's canned `agent` answer).
 */
export interface ChatMessage {
  id: string;
  role: 'visitor' | 'agent' | 'bot';
  text: string;
  /** ms epoch: when it was written (the collector's time once stored there). */
  at: number;
  /** Its place in the collector's conversation, once stored there. */
  seq?: number;
  /** A visitor's message still in the outbox (not stored in the conversation: the outbox keeps it). */
  state?: 'sending' | 'failed';
}
