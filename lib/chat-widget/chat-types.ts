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

/** One line of the conversation: sent by the visitor or answered by the widget. */
export interface ChatMessage {
  id: string;
  role: 'visitor' | 'agent';
  text: string;
  /** ms epoch */
  at: number;
}
