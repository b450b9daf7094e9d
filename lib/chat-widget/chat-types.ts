/** A survey answer the visitor can pick; clicking it is what offer tracking counts. */
export interface Offer {
  id: string;
  label: string;
  /** Where the offer leads, opened in a new tab; none: the click only answers the question. */
  url?: string;
  questionId: string;
  buttonVariantId: string;
}

/** A short survey question shown after the greeting, answered with one of its offers. */
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
