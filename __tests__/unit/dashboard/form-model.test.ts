import { describe, expect, test } from 'vitest';
import { FIELD_PATHS, fieldPathsOf, placeProblems } from '../../../components/dashboard/editor/field-paths';
import { checkForm, contentOf, formOf, inputOf, newWidgetForm, originLines, sameDocument } from '../../../components/dashboard/editor/form-model';
import type { WidgetForm } from '../../../components/dashboard/editor/form-model';
import {
  addAnswer,
  addQuestion,
  addVariant,
  freeId,
  moveQuestion,
  removeAnswer,
  removeQuestion,
  removeVariant,
  setOffer,
  updateAnswer,
  updateForm,
  updateOffer,
  updateQuestion,
  updateVariant,
} from '../../../components/dashboard/editor/form-ops';
import { DEFAULT_WIDGET_CONTENT, WIDGET_DOCUMENT_LIMITS, WidgetDocumentInputSchema } from '../../../lib/protocol/widget-document';
import type { WidgetDocumentInput } from '../../../lib/protocol/widget-document';

const DOCUMENT: WidgetDocumentInput = {
  name: 'Shop widget',
  allowedOrigins: ['https://shop.example', 'http://localhost:8080'],
  content: DEFAULT_WIDGET_CONTENT,
};

const problemsOf = (form: WidgetForm) => checkForm(form).problems;

describe('the editor form model', () => {
  test('a document goes into the form and comes back out unchanged', () => {
    const form = formOf(DOCUMENT);
    expect(form.allowedOrigins).toBe('https://shop.example\nhttp://localhost:8080');
    expect(inputOf(form)).toEqual(DOCUMENT);
    const check = checkForm(form);
    expect(check.valid).toBe(true);
    expect(check.input).toEqual(DOCUMENT);
  });

  test('an offer without a link or variants saves without url and variants, not with empty ones', () => {
    const form = formOf(DOCUMENT);
    const boots = form.questions[0]?.answers[1]?.offer;
    expect(boots).toMatchObject({ offerId: 'offer-boots', url: '', variants: [] });
    const saved = inputOf(form).content.survey.questions[0]?.answers[1]?.offer;
    expect(saved).toEqual({ offerId: 'offer-boots', label: 'See hiking boots' });
    expect(saved).not.toHaveProperty('url');
    expect(saved).not.toHaveProperty('variants');
  });

  test('allowed sites are one origin per line: trimmed, blank lines ignored, empty text is anywhere', () => {
    expect(originLines('  https://a.example \n\n\r\nhttps://b.example\n')).toEqual(['https://a.example', 'https://b.example']);
    expect(inputOf(updateForm(formOf(DOCUMENT), { allowedOrigins: ' \n ' })).allowedOrigins).toEqual([]);
  });

  test('a new widget starts from the built-in content, named after its id, allowed anywhere, and is valid', () => {
    const form = newWidgetForm('spring-sale');
    expect(inputOf(form)).toEqual({ name: 'spring-sale', allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT });
    expect(checkForm(form).valid).toBe(true);
  });

  test('reports each problem at the path of its field, with the schema’s message', () => {
    const form = updateQuestion(updateForm(formOf(DOCUMENT), { greeting: '', accentColor: 'blue' }), 0, { id: 'bad id' });
    const problems = problemsOf(form);
    expect(problems.map((p) => p.path).sort()).toEqual(['content.greeting', 'content.survey.questions.0.id', 'content.theme.accentColor']);
    expect(problems.find((p) => p.path === 'content.greeting')?.message).toBe('greeting must not be empty');
  });

  test('what the form checks is what the collector’s schema checks', () => {
    const form = updateOffer(formOf(DOCUMENT), 0, 1, { url: 'javascript:alert(1)' });
    expect(checkForm(form).valid).toBe(false);
    expect(WidgetDocumentInputSchema.safeParse(inputOf(form)).success).toBe(false);
    expect(problemsOf(form)).toEqual([{ path: 'content.survey.questions.0.answers.1.offer.url', message: 'url must be an absolute http(s) URL' }]);
  });

  test('the preview gets the draft’s content even while it is invalid', () => {
    const form = updateForm(formOf(DOCUMENT), { greeting: '' });
    expect(contentOf(form).greeting).toBe('');
    expect(contentOf(form).survey).toEqual(DEFAULT_WIDGET_CONTENT.survey);
  });

  test('sameDocument ignores list keys but sees every saved change', () => {
    const a = formOf(DOCUMENT);
    const b = formOf(DOCUMENT);
    expect(a.questions[0]?.key).not.toBe(b.questions[0]?.key);
    expect(sameDocument(a, b)).toBe(true);
    expect(sameDocument(a, updateForm(b, { chatEnabled: false }))).toBe(false);
  });
});

describe('placing problems next to fields', () => {
  test('a problem at a field’s path goes to that field; one without a field goes to the top list', () => {
    const form = formOf(DOCUMENT);
    const placed = placeProblems(
      [
        { path: 'content.greeting', message: 'greeting must not be empty' },
        { path: 'content.survey.questions.0.answers.0.offer.variants.1.label', message: 'label must not be empty' },
        { path: 'content', message: 'content must be at most 32768 characters as JSON' },
        { path: 'content.survey.questions.4.text', message: 'from a question the form no longer has' },
      ],
      form,
    );
    expect(placed.byField.get(FIELD_PATHS.greeting)).toEqual(['greeting must not be empty']);
    expect(placed.byField.get('content.survey.questions.0.answers.0.offer.variants.1.label')).toEqual(['label must not be empty']);
    expect(placed.general.map((p) => p.path)).toEqual(['content', 'content.survey.questions.4.text']);
  });

  test('an allowed origin’s problem goes to the allowed-sites field, naming the origin', () => {
    const form = updateForm(formOf(DOCUMENT), { allowedOrigins: 'https://ok.example\n\nhttps://shop.example/path\nhttps://ok.example' });
    const placed = placeProblems(problemsOf(form), form);
    const messages = placed.byField.get(FIELD_PATHS.allowedOrigins) ?? [];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^https:\/\/shop\.example\/path: each allowed origin must be an origin/);
    expect(messages[1]).toBe('https://ok.example: origin "https://ok.example" is used twice');
    expect(placed.general).toEqual([]);
  });

  test('lists have a place for their own problems (a question without answers)', () => {
    const form = removeAnswer(removeAnswer(removeAnswer(formOf(DOCUMENT), 0, 0), 0, 0), 0, 0);
    const placed = placeProblems(problemsOf(form), form);
    expect(placed.byField.get('content.survey.questions.0.answers')).toEqual(['a question needs at least one answer']);
    expect(placed.general).toEqual([]);
  });

  test('only fields the form shows have a place: an answer without an offer has no offer fields', () => {
    const paths = fieldPathsOf(formOf(DOCUMENT));
    expect(paths.has('content.survey.questions.0.answers.1.offer.url')).toBe(true);
    expect(paths.has('content.survey.questions.0.answers.2.offer.url')).toBe(false);
    expect(paths.has('content.survey.questions.0.answers.0.offer.variants.1.buttonVariantId')).toBe(true);
  });
});

describe('editing the survey', () => {
  test('adds a question with a free id and one answer, keeping the form valid', () => {
    const form = addQuestion(formOf(DOCUMENT));
    expect(form.questions).toHaveLength(2);
    expect(form.questions[1]).toMatchObject({ id: 'q-1', text: 'New question', answers: [{ id: 'a-1', label: 'Answer', offer: null }] });
    expect(checkForm(form).valid).toBe(true);
  });

  test('stops adding at the contract’s limits', () => {
    let form = formOf(DOCUMENT);
    for (let i = 0; i < 10; i++) form = addQuestion(form);
    expect(form.questions).toHaveLength(WIDGET_DOCUMENT_LIMITS.questions);
    for (let i = 0; i < 10; i++) form = addAnswer(form, 1);
    expect(form.questions[1]?.answers).toHaveLength(WIDGET_DOCUMENT_LIMITS.answers);
    for (let i = 0; i < 10; i++) form = addVariant(form, 0, 0);
    expect(form.questions[0]?.answers[0]?.offer?.variants).toHaveLength(WIDGET_DOCUMENT_LIMITS.variants);
    expect(checkForm(form).valid).toBe(true);
  });

  test('moves questions up and down, keeping each one’s key, and ignores moves past the ends', () => {
    const form = updateQuestion(addQuestion(formOf(DOCUMENT)), 1, { text: 'Second' });
    const [first, second] = form.questions;
    const moved = moveQuestion(form, 1, -1);
    expect(moved.questions.map((q) => q.text)).toEqual(['Second', 'What brings you here today?']);
    expect(moved.questions.map((q) => q.key)).toEqual([second?.key, first?.key]);
    expect(moveQuestion(moved, 0, -1).questions.map((q) => q.key)).toEqual([second?.key, first?.key]);
    expect(moveQuestion(moved, 1, 1).questions.map((q) => q.key)).toEqual([second?.key, first?.key]);
    expect(inputOf(moved).content.survey.questions.map((q) => q.text)).toEqual(['Second', 'What brings you here today?']);
  });

  test('removes a question, an answer and a variant, leaving the form it was given alone', () => {
    const form = formOf(DOCUMENT);
    expect(removeQuestion(form, 0).questions).toEqual([]);
    expect(removeAnswer(form, 0, 2).questions[0]?.answers.map((a) => a.id)).toEqual(['a-trail', 'a-hiking']);
    expect(removeVariant(form, 0, 0, 0).questions[0]?.answers[0]?.offer?.variants.map((v) => v.buttonVariantId)).toEqual(['v-urgent']);
    expect(inputOf(form)).toEqual(DOCUMENT);
  });

  test('an answer’s offer comes with an offer id no other answer has, and goes away whole', () => {
    const form = setOffer(formOf(DOCUMENT), 0, 2, true);
    expect(form.questions[0]?.answers[2]?.offer).toEqual({ offerId: 'offer-1', label: 'See the offer', url: '', variants: [] });
    expect(checkForm(form).valid).toBe(true);
    const again = setOffer(setOffer(form, 0, 0, false), 0, 0, true);
    expect(again.questions[0]?.answers[0]?.offer?.offerId).toBe('offer-2');
    expect(inputOf(setOffer(form, 0, 2, false)).content.survey.questions[0]?.answers[2]).toEqual({ id: 'a-browse', label: 'Just browsing' });
  });

  test('turning on an offer the answer already has keeps it', () => {
    const form = formOf(DOCUMENT);
    expect(setOffer(form, 0, 0, true).questions[0]?.answers[0]?.offer).toBe(form.questions[0]?.answers[0]?.offer);
  });

  test('a duplicated id is reported where the second one is', () => {
    const answers = updateAnswer(formOf(DOCUMENT), 0, 1, { id: 'a-trail' });
    expect(problemsOf(answers)).toEqual([{ path: 'content.survey.questions.0.answers.1.id', message: 'answer id "a-trail" is used twice' }]);
    const variants = updateVariant(formOf(DOCUMENT), 0, 0, 1, { buttonVariantId: 'v-primary' });
    expect(problemsOf(variants).map((p) => p.path)).toEqual(['content.survey.questions.0.answers.0.offer.variants.1.buttonVariantId']);
  });

  test('freeId picks the first numbered id not taken', () => {
    expect(freeId('q', [])).toBe('q-1');
    expect(freeId('q', ['q-1', 'q-3'])).toBe('q-2');
  });
});
