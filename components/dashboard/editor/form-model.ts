import { DEFAULT_WIDGET_CONTENT, WidgetDocumentInputSchema, documentProblems } from '../../../lib/protocol/widget-document';
import { webhookProblems, webhookUrlOf } from './webhook';
import type { DocumentProblem, Offer, SurveyAnswer, SurveyQuestion, WidgetContent, WidgetDocument, WidgetDocumentInput, WidgetTheme } from '../../../lib/protocol/widget-document';

/*
 * The editor's form: the widget document as the fields hold it. It mirrors the document, with
 * three differences: allowed sites are one text (one origin per line), an offer's optional
 * `url` and `variants` are an empty string and an empty list when absent, and every list entry
 * has a `key` that stays with it when entries move (React's list key; never saved).
 */

/** One variant of an offer's button. */
export interface VariantForm {
  key: string;
  buttonVariantId: string;
  label: string;
}

/** An answer's offer; `url` `""` and `variants` `[]` mean none. */
export interface OfferForm {
  offerId: string;
  label: string;
  url: string;
  variants: VariantForm[];
}

export interface AnswerForm {
  key: string;
  id: string;
  label: string;
  offer: OfferForm | null;
}

export interface QuestionForm {
  key: string;
  id: string;
  text: string;
  answers: AnswerForm[];
}

/** The whole document as the editor holds it. */
export interface WidgetForm {
  name: string;
  /** One origin per line; blank lines are ignored. */
  allowedOrigins: string;
  greeting: string;
  questions: QuestionForm[];
  accentColor: string;
  position: WidgetTheme['position'];
  launcherLabel: string;
  chatEnabled: boolean;
  /** The bot's webhook; `""`: none. Not part of {@link inputOf}: a save sends it only when changed (`saveBodyOf`). */
  webhookUrl: string;
}

let lastKey = 0;

/** A list key no other entry of this page has. */
export function nextKey(): string {
  lastKey += 1;
  return `k${lastKey}`;
}

const offerForm = (offer: Offer): OfferForm => ({
  offerId: offer.offerId,
  label: offer.label,
  url: offer.url ?? '',
  variants: (offer.variants ?? []).map((variant) => ({ key: nextKey(), buttonVariantId: variant.buttonVariantId, label: variant.label })),
});

const answerForm = (answer: SurveyAnswer): AnswerForm => ({
  key: nextKey(),
  id: answer.id,
  label: answer.label,
  offer: answer.offer ? offerForm(answer.offer) : null,
});

const questionForm = (question: SurveyQuestion): QuestionForm => ({
  key: nextKey(),
  id: question.id,
  text: question.text,
  answers: question.answers.map(answerForm),
});

/** The form of a document (or of a document input); a `webhookUrl` it has (the field may not exist yet) goes in too. */
export function formOf(document: Pick<WidgetDocument, 'name' | 'allowedOrigins' | 'content'>): WidgetForm {
  const { content } = document;
  return {
    name: document.name,
    allowedOrigins: document.allowedOrigins.join('\n'),
    greeting: content.greeting,
    questions: content.survey.questions.map(questionForm),
    accentColor: content.theme.accentColor,
    position: content.theme.position,
    launcherLabel: content.theme.launcherLabel,
    chatEnabled: content.chat.enabled,
    webhookUrl: webhookUrlOf(document),
  };
}

/** The form of a widget before its first save: the built-in content, named after its id, allowed anywhere. */
export function newWidgetForm(widgetId: string): WidgetForm {
  return formOf({ name: widgetId, allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT });
}

/** The origins of the allowed-sites text: one a line, trimmed, blank lines left out. */
export function originLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const offerOf = (offer: OfferForm): Offer => ({
  offerId: offer.offerId,
  label: offer.label,
  ...(offer.url === '' ? {} : { url: offer.url }),
  ...(offer.variants.length === 0 ? {} : { variants: offer.variants.map((variant) => ({ buttonVariantId: variant.buttonVariantId, label: variant.label })) }),
});

/** What the form's content is: what the preview renders, valid or not. */
export function contentOf(form: WidgetForm): WidgetContent {
  return {
    greeting: form.greeting,
    survey: {
      questions: form.questions.map((question) => ({
        id: question.id,
        text: question.text,
        answers: question.answers.map((answer) => ({
          id: answer.id,
          label: answer.label,
          ...(answer.offer === null ? {} : { offer: offerOf(answer.offer) }),
        })),
      })),
    },
    theme: { accentColor: form.accentColor, position: form.position, launcherLabel: form.launcherLabel },
    chat: { enabled: form.chatEnabled },
  };
}

/** The body of `PUT /api/widgets/:widgetId` for the form (not yet validated). */
export function inputOf(form: WidgetForm): WidgetDocumentInput {
  return { name: form.name, allowedOrigins: originLines(form.allowedOrigins), content: contentOf(form) };
}

/** The form checked with the contract's schema: the body to save, or where each problem is. */
export type FormCheck = { valid: true; input: WidgetDocumentInput; problems: [] } | { valid: false; input: WidgetDocumentInput; problems: DocumentProblem[] };

/** Checks the form with `WidgetDocumentInputSchema`, the collector's own rule, and the webhook URL with {@link webhookProblems}. */
export function checkForm(form: WidgetForm): FormCheck {
  const input = inputOf(form);
  const result = WidgetDocumentInputSchema.safeParse(input);
  const problems = [...(result.success ? [] : documentProblems(result.error.issues)), ...webhookProblems(form.webhookUrl)];
  return result.success && problems.length === 0 ? { valid: true, input: result.data, problems: [] } : { valid: false, input, problems };
}

/** True when two forms would save the same document (list keys aside). */
export function sameDocument(a: WidgetForm, b: WidgetForm): boolean {
  return a.webhookUrl === b.webhookUrl && JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b));
}
