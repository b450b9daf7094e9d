import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WIDGET_CONTENT,
  documentProblems,
  WIDGET_DOCUMENT_LIMITS,
  WidgetConfigSchema,
  WidgetContentSchema,
  WidgetDocumentInputSchema,
  WidgetDocumentSchema,
} from '../../../lib/protocol/widget-document';
import type { Offer, WidgetContent, WidgetDocumentInput } from '../../../lib/protocol/widget-document';

const clone = <T>(value: T): T => structuredClone(value);

const input = (overrides: Partial<WidgetDocumentInput> = {}): WidgetDocumentInput => ({
  name: 'Shop widget',
  allowedOrigins: ['https://shop.example'],
  content: clone(DEFAULT_WIDGET_CONTENT),
  ...overrides,
});

const contentWith = (change: (content: WidgetContent) => void): WidgetContent => {
  const content = clone(DEFAULT_WIDGET_CONTENT);
  change(content);
  return content;
};

/** The problems of a document, or `[]` when it is valid. */
function problemsOf(value: unknown) {
  const parsed = WidgetDocumentInputSchema.safeParse(value);
  return parsed.success ? [] : documentProblems(parsed.error.issues);
}

const firstQuestion = (content: WidgetContent) => content.survey.questions[0]!;
const offer = (overrides: Partial<Offer> = {}): Offer => ({ offerId: 'o-1', label: 'Buy', ...overrides });

describe('the widget document schema', () => {
  it('accepts the default content and a document built on it', () => {
    expect(WidgetContentSchema.safeParse(DEFAULT_WIDGET_CONTENT).success).toBe(true);
    expect(problemsOf(input())).toEqual([]);
    expect(problemsOf(input({ allowedOrigins: [] }))).toEqual([]);
    expect(
      WidgetDocumentSchema.safeParse({ id: 'shop', owner: 'acme', ...input(), webhookUrl: null, webhookSecretSet: false, revision: 1, updatedAt: 0 }).success,
    ).toBe(true);
    expect(WidgetConfigSchema.safeParse({ widgetId: 'shop', revision: 1, content: DEFAULT_WIDGET_CONTENT }).success).toBe(true);
  });

  it.each(['red', '#fff', '#4f46e', '#4f46e5ff', '4f46e5', '#gggggg', ' #4f46e5'])('refuses the accent colour %j', (accentColor) => {
    const problems = problemsOf(input({ content: contentWith((c) => (c.theme.accentColor = accentColor)) }));
    expect(problems).toEqual([{ path: 'content.theme.accentColor', message: expect.stringContaining('colour') }]);
  });

  it('takes a webhook URL left out, null, or an absolute http(s) URL up to 2048 characters', () => {
    expect(problemsOf(input())).toEqual([]);
    expect(problemsOf(input({ webhookUrl: null }))).toEqual([]);
    expect(problemsOf(input({ webhookUrl: 'https://bot.shop.example/framewire' }))).toEqual([]);
    const longest = `https://bot.shop.example/${'a'.repeat(WIDGET_DOCUMENT_LIMITS.url - 25)}`;
    expect(longest).toHaveLength(WIDGET_DOCUMENT_LIMITS.url);
    expect(problemsOf(input({ webhookUrl: longest }))).toEqual([]);
    expect(problemsOf(input({ webhookUrl: `${longest}a` }))).toEqual([{ path: 'webhookUrl', message: `webhookUrl must be at most ${WIDGET_DOCUMENT_LIMITS.url} characters` }]);
    for (const bad of ['ftp://bot.shop.example/', '/relative', 'not a url', '']) {
      expect(problemsOf(input({ webhookUrl: bad }))).toEqual([{ path: 'webhookUrl', message: 'webhookUrl must be an absolute http(s) URL' }]);
    }
  });

  it('requires webhookUrl and webhookSecretSet in a stored document, and never a secret', () => {
    const stored = { id: 'shop', owner: 'acme', ...input(), revision: 1, updatedAt: 0 };
    expect(WidgetDocumentSchema.safeParse(stored).success).toBe(false);
    expect(WidgetDocumentSchema.safeParse({ ...stored, webhookUrl: 'https://bot.shop.example/', webhookSecretSet: true }).success).toBe(true);
    expect(WidgetDocumentSchema.safeParse({ ...stored, webhookUrl: null, webhookSecretSet: true, webhookSecret: 'x' }).success).toBe(false);
  });

  it('refuses an unknown position', () => {
    const content = contentWith((c) => ((c.theme as { position: string }).position = 'top-left'));
    expect(problemsOf(input({ content })).map((p) => p.path)).toEqual(['content.theme.position']);
  });

  it('refuses an offer id used twice across the survey', () => {
    const content = contentWith((c) => {
      c.survey.questions.push({ id: 'q-2', text: 'Again?', answers: [{ id: 'a-1', label: 'Yes', offer: offer({ offerId: 'offer-trail' }) }] });
    });
    expect(problemsOf(input({ content }))).toEqual([{ path: 'content.survey.questions.1.answers.0.offer.offerId', message: 'offerId "offer-trail" is used twice' }]);
  });

  it('refuses a question id, an answer id or a variant id used twice in its list', () => {
    const questions = contentWith((c) => c.survey.questions.push({ ...clone(firstQuestion(c)), answers: [{ id: 'x', label: 'x' }] }));
    expect(problemsOf(input({ content: questions }))).toEqual([{ path: 'content.survey.questions.1.id', message: 'question id "q-visit-reason" is used twice' }]);
    const answers = contentWith((c) => firstQuestion(c).answers.push({ id: 'a-browse', label: 'Again' }));
    expect(problemsOf(input({ content: answers }))).toEqual([{ path: 'content.survey.questions.0.answers.3.id', message: 'answer id "a-browse" is used twice' }]);
    const variants = contentWith((c) => {
      firstQuestion(c).answers[2]!.offer = offer({ variants: [{ buttonVariantId: 'v', label: 'A' }, { buttonVariantId: 'v', label: 'B' }] });
    });
    expect(problemsOf(input({ content: variants }))).toEqual([
      { path: 'content.survey.questions.0.answers.2.offer.variants.1.buttonVariantId', message: 'buttonVariantId "v" is used twice' },
    ]);
  });

  it('allows the same answer id in different questions', () => {
    const content = contentWith((c) => c.survey.questions.push({ id: 'q-2', text: 'More?', answers: [{ id: 'a-browse', label: 'Yes' }] }));
    expect(problemsOf(input({ content }))).toEqual([]);
  });

  it.each([
    ['name', (d: WidgetDocumentInput) => (d.name = 'n'.repeat(WIDGET_DOCUMENT_LIMITS.name + 1))],
    ['content.greeting', (d: WidgetDocumentInput) => (d.content.greeting = 'g'.repeat(WIDGET_DOCUMENT_LIMITS.greeting + 1))],
    ['content.survey.questions.0.text', (d: WidgetDocumentInput) => (firstQuestion(d.content).text = 't'.repeat(WIDGET_DOCUMENT_LIMITS.questionText + 1))],
    ['content.survey.questions.0.answers.0.label', (d: WidgetDocumentInput) => (firstQuestion(d.content).answers[0]!.label = 'l'.repeat(WIDGET_DOCUMENT_LIMITS.label + 1))],
    ['content.theme.launcherLabel', (d: WidgetDocumentInput) => (d.content.theme.launcherLabel = 'l'.repeat(WIDGET_DOCUMENT_LIMITS.launcherLabel + 1))],
  ])('refuses %s one character over its limit, and takes it at the limit', (path, lengthen) => {
    const over = input();
    lengthen(over);
    expect(problemsOf(over)).toEqual([{ path, message: expect.stringMatching(/at most \d+ characters/) }]);
  });

  it('takes every text at exactly its limit', () => {
    const document = input({ name: 'n'.repeat(WIDGET_DOCUMENT_LIMITS.name) });
    document.content.greeting = 'g'.repeat(WIDGET_DOCUMENT_LIMITS.greeting);
    firstQuestion(document.content).text = 't'.repeat(WIDGET_DOCUMENT_LIMITS.questionText);
    document.content.theme.launcherLabel = 'l'.repeat(WIDGET_DOCUMENT_LIMITS.launcherLabel);
    expect(problemsOf(document)).toEqual([]);
  });

  it('refuses empty texts', () => {
    expect(problemsOf(input({ name: '' }))).toEqual([{ path: 'name', message: 'name must not be empty' }]);
  });

  it.each([
    ['a NUL', 'hello\u0000'],
    ['an unpaired high surrogate', 'hello\ud800'],
    ['an unpaired low surrogate', '\udc00hello'],
  ])('refuses %s in a text, and in an offer url', (_what, bad) => {
    expect(problemsOf(input({ content: contentWith((c) => (c.greeting = bad)) }))).toEqual([
      { path: 'content.greeting', message: 'greeting must not contain NUL or unpaired surrogates' },
    ]);
    const content = contentWith((c) => (firstQuestion(c).answers[2]!.offer = offer({ url: `https://shop.example/${bad}` })));
    expect(problemsOf(input({ content })).map((p) => p.path)).toEqual(['content.survey.questions.0.answers.2.offer.url']);
  });

  it('takes emoji and other paired surrogates', () => {
    expect(problemsOf(input({ content: contentWith((c) => (c.greeting = 'Hi 👋 مرحبا')) }))).toEqual([]);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', '/relative', 'shop.example', 'ftp://shop.example/'])('refuses the offer url %j', (url) => {
    const content = contentWith((c) => (firstQuestion(c).answers[2]!.offer = offer({ url })));
    expect(problemsOf(input({ content }))).toEqual([{ path: 'content.survey.questions.0.answers.2.offer.url', message: 'url must be an absolute http(s) URL' }]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s, parsed from JSON, as an unknown field at any level', (key) => {
    const top = JSON.parse(JSON.stringify(input()).replace('{', `{"${key}":{"polluted":true},`)) as unknown;
    expect(problemsOf(top)).toEqual([{ path: '', message: `unknown field: ${key}` }]);
    const nested = JSON.parse(JSON.stringify(input()).replace('"theme":{', `"theme":{"${key}":{"polluted":true},`)) as unknown;
    expect(problemsOf(nested)).toEqual([{ path: 'content.theme', message: `unknown field: ${key}` }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses unknown fields, naming them all', () => {
    expect(problemsOf({ ...input(), colour: 'red', size: 2 })).toEqual([{ path: '', message: 'unknown fields: colour, size' }]);
    const content = contentWith((c) => ((firstQuestion(c) as unknown as Record<string, unknown>).hint = 'x'));
    expect(problemsOf(input({ content }))).toEqual([{ path: 'content.survey.questions.0', message: 'unknown field: hint' }]);
  });

  it.each([
    'https://shop.example/',
    'https://shop.example/path',
    'shop.example',
    '*',
    'https://*.shop.example',
    'ftp://shop.example',
    'https://SHOP.example',
    'https://shop.example:443',
    'null',
  ])('refuses the allowed origin %j', (origin) => {
    expect(problemsOf(input({ allowedOrigins: [origin] })).map((p) => p.path)).toEqual(['allowedOrigins.0']);
  });

  it('takes origins with a port, and refuses the same origin twice', () => {
    expect(problemsOf(input({ allowedOrigins: ['http://localhost:8080', 'https://shop.example'] }))).toEqual([]);
    expect(problemsOf(input({ allowedOrigins: ['https://shop.example', 'https://shop.example'] }))).toEqual([
      { path: 'allowedOrigins.1', message: 'origin "https://shop.example" is used twice' },
    ]);
  });

  it.each([
    ['allowedOrigins', (d: WidgetDocumentInput) => (d.allowedOrigins = Array.from({ length: WIDGET_DOCUMENT_LIMITS.allowedOrigins + 1 }, (_, i) => `https://s${i}.example`))],
    ['content.survey.questions', (d: WidgetDocumentInput) => (d.content.survey.questions = Array.from({ length: WIDGET_DOCUMENT_LIMITS.questions + 1 }, (_, i) => ({ id: `q${i}`, text: 't', answers: [{ id: 'a', label: 'a' }] })))],
    ['content.survey.questions.0.answers', (d: WidgetDocumentInput) => (firstQuestion(d.content).answers = Array.from({ length: WIDGET_DOCUMENT_LIMITS.answers + 1 }, (_, i) => ({ id: `a${i}`, label: 'a' })))],
    ['content.survey.questions.0.answers.2.offer.variants', (d: WidgetDocumentInput) => (firstQuestion(d.content).answers[2]!.offer = offer({ variants: Array.from({ length: WIDGET_DOCUMENT_LIMITS.variants + 1 }, (_, i) => ({ buttonVariantId: `v${i}`, label: 'v' })) }))],
  ])('refuses too many items in %s', (path, grow) => {
    const document = input();
    grow(document);
    expect(problemsOf(document).map((p) => p.path)).toEqual([path]);
  });

  it('refuses an empty variants list and a question without answers', () => {
    const variants = contentWith((c) => (firstQuestion(c).answers[2]!.offer = offer({ variants: [] })));
    expect(problemsOf(input({ content: variants })).map((p) => p.path)).toEqual(['content.survey.questions.0.answers.2.offer.variants']);
    const answers = contentWith((c) => (firstQuestion(c).answers = []));
    expect(problemsOf(input({ content: answers })).map((p) => p.path)).toEqual(['content.survey.questions.0.answers']);
  });

  it.each(['', '-leading', '_leading', 'has space', 'dot.ted', 'x'.repeat(65)])('refuses the content id %j', (id) => {
    const content = contentWith((c) => (firstQuestion(c).id = id));
    expect(problemsOf(input({ content })).map((p) => p.path)).toEqual(['content.survey.questions.0.id']);
  });

  it('refuses content over 32 K characters as JSON, and takes it at the limit', () => {
    const sized = (length: number) =>
      contentWith((c) => {
        c.survey.questions = Array.from({ length: WIDGET_DOCUMENT_LIMITS.questions }, (_, q) => ({
          id: `q${q}`,
          text: 'Which?',
          answers: Array.from({ length: WIDGET_DOCUMENT_LIMITS.answers }, (_, a) => ({ id: `a${a}`, label: 'x', offer: offer({ offerId: `o${q}-${a}`, url: 'https://shop.example/' }) })),
        }));
        const room = length - JSON.stringify(c).length;
        const per = Math.floor(room / 40);
        let rest = room - per * 40;
        for (const question of c.survey.questions) {
          for (const answer of question.answers) {
            const extra = per + (rest > 0 ? 1 : 0);
            rest -= 1;
            answer.offer!.url += 'p'.repeat(extra);
          }
        }
      });
    const atLimit = sized(WIDGET_DOCUMENT_LIMITS.contentLength);
    expect(JSON.stringify(atLimit).length).toBe(WIDGET_DOCUMENT_LIMITS.contentLength);
    expect(problemsOf(input({ content: atLimit }))).toEqual([]);
    const over = sized(WIDGET_DOCUMENT_LIMITS.contentLength + 1);
    expect(problemsOf(input({ content: over }))).toEqual([{ path: 'content', message: `content must be at most ${WIDGET_DOCUMENT_LIMITS.contentLength} characters as JSON` }]);
  });
});
