import { WIDGET_DOCUMENT_LIMITS } from '../../../lib/protocol/widget-document';
import { nextKey } from './form-model';
import type { AnswerForm, OfferForm, QuestionForm, VariantForm, WidgetForm } from './form-model';

/*
 * Every change the editor makes to its form, as pure functions: each returns a new form and
 * leaves the one given alone. Adding stops at the contract's limits (the buttons are disabled
 * there too); new entries get ids no sibling has, so the form stays valid.
 */

/** `prefix-1`, `prefix-2`, …: the first one not in `taken`. */
export function freeId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

/** Moves the entry at `index` by `delta` places; out of range, the list as it is. */
function move<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  const copy = [...list];
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return copy;
  const [entry] = copy.splice(index, 1);
  if (entry !== undefined) copy.splice(target, 0, entry);
  return copy;
}

const replaceAt = <T>(list: readonly T[], index: number, change: (entry: T) => T): T[] =>
  list.map((entry, i) => (i === index ? change(entry) : entry));

const allOfferIds = (form: WidgetForm): string[] => form.questions.flatMap((q) => q.answers.flatMap((a) => (a.offer ? [a.offer.offerId] : [])));

/** Sets top-level fields. */
export const updateForm = (form: WidgetForm, patch: Partial<Omit<WidgetForm, 'questions'>>): WidgetForm => ({ ...form, ...patch });

/** True while another question fits the contract. */
export const canAddQuestion = (form: WidgetForm): boolean => form.questions.length < WIDGET_DOCUMENT_LIMITS.questions;

/** Adds a question at the end, with one answer. */
export function addQuestion(form: WidgetForm): WidgetForm {
  if (!canAddQuestion(form)) return form;
  const question: QuestionForm = {
    key: nextKey(),
    id: freeId('q', form.questions.map((q) => q.id)),
    text: 'New question',
    answers: [{ key: nextKey(), id: 'a-1', label: 'Answer', offer: null }],
  };
  return { ...form, questions: [...form.questions, question] };
}

export const removeQuestion = (form: WidgetForm, question: number): WidgetForm => ({ ...form, questions: form.questions.filter((_q, i) => i !== question) });

/** Moves a question up (`-1`) or down (`1`). */
export const moveQuestion = (form: WidgetForm, question: number, delta: -1 | 1): WidgetForm => ({ ...form, questions: move(form.questions, question, delta) });

export const updateQuestion = (form: WidgetForm, question: number, patch: Partial<Pick<QuestionForm, 'id' | 'text'>>): WidgetForm => ({
  ...form,
  questions: replaceAt(form.questions, question, (q) => ({ ...q, ...patch })),
});

/** True while another answer fits the question. */
export const canAddAnswer = (question: QuestionForm): boolean => question.answers.length < WIDGET_DOCUMENT_LIMITS.answers;

export function addAnswer(form: WidgetForm, question: number): WidgetForm {
  return {
    ...form,
    questions: replaceAt(form.questions, question, (q) =>
      canAddAnswer(q) ? { ...q, answers: [...q.answers, { key: nextKey(), id: freeId('a', q.answers.map((a) => a.id)), label: 'Answer', offer: null }] } : q,
    ),
  };
}

export const removeAnswer = (form: WidgetForm, question: number, answer: number): WidgetForm => ({
  ...form,
  questions: replaceAt(form.questions, question, (q) => ({ ...q, answers: q.answers.filter((_a, i) => i !== answer) })),
});

function changeAnswer(form: WidgetForm, question: number, answer: number, change: (entry: AnswerForm) => AnswerForm): WidgetForm {
  return { ...form, questions: replaceAt(form.questions, question, (q) => ({ ...q, answers: replaceAt(q.answers, answer, change) })) };
}

export const updateAnswer = (form: WidgetForm, question: number, answer: number, patch: Partial<Pick<AnswerForm, 'id' | 'label'>>): WidgetForm =>
  changeAnswer(form, question, answer, (a) => ({ ...a, ...patch }));

/** Gives an answer an offer (a new offer id, unique across the survey) or takes it away. */
export function setOffer(form: WidgetForm, question: number, answer: number, on: boolean): WidgetForm {
  const offer: OfferForm | null = on ? { offerId: freeId('offer', allOfferIds(form)), label: 'See the offer', url: '', variants: [] } : null;
  return changeAnswer(form, question, answer, (a) => (on && a.offer !== null ? a : { ...a, offer }));
}

function changeOffer(form: WidgetForm, question: number, answer: number, change: (offer: OfferForm) => OfferForm): WidgetForm {
  return changeAnswer(form, question, answer, (a) => (a.offer === null ? a : { ...a, offer: change(a.offer) }));
}

export const updateOffer = (form: WidgetForm, question: number, answer: number, patch: Partial<Pick<OfferForm, 'offerId' | 'label' | 'url'>>): WidgetForm =>
  changeOffer(form, question, answer, (offer) => ({ ...offer, ...patch }));

/** True while another variant fits the offer. */
export const canAddVariant = (offer: OfferForm): boolean => offer.variants.length < WIDGET_DOCUMENT_LIMITS.variants;

export function addVariant(form: WidgetForm, question: number, answer: number): WidgetForm {
  return changeOffer(form, question, answer, (offer) => {
    if (!canAddVariant(offer)) return offer;
    const variant: VariantForm = { key: nextKey(), buttonVariantId: freeId('v', offer.variants.map((v) => v.buttonVariantId)), label: offer.label };
    return { ...offer, variants: [...offer.variants, variant] };
  });
}

export const removeVariant = (form: WidgetForm, question: number, answer: number, variant: number): WidgetForm =>
  changeOffer(form, question, answer, (offer) => ({ ...offer, variants: offer.variants.filter((_v, i) => i !== variant) }));

export const updateVariant = (
  form: WidgetForm,
  question: number,
  answer: number,
  variant: number,
  patch: Partial<Pick<VariantForm, 'buttonVariantId' | 'label'>>,
): WidgetForm => changeOffer(form, question, answer, (offer) => ({ ...offer, variants: replaceAt(offer.variants, variant, (v) => ({ ...v, ...patch })) }));
