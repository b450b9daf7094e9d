import * as z from 'zod/mini';
import { isStorableString } from './storable';
import { COLOR_PATTERN, CONTENT_ID_PATTERN, WIDGET_DOCUMENT_LIMITS, WIDGET_POSITIONS, isOrigin } from './widget-limits';

export { COLOR_PATTERN, CONTENT_ID_PATTERN, DEFAULT_VARIANT_ID, WIDGET_DOCUMENT_LIMITS, WIDGET_POSITIONS, isOrigin } from './widget-limits';

/*
 * The widget document: what a company says about one widget — what it shows, which offer
 * variants compete, on which sites it may run. The collector stores and validates it, the
 * widget renders its `content`, the dashboard edits it; all three use these schemas, so a
 * document one side accepts the others accept too.
 *
 * Units: text lengths in UTF-16 code units (JavaScript `length`).
 */

const text = (max: number, what: string) =>
  z.string().check(
    z.minLength(1, `${what} must not be empty`),
    z.maxLength(max, `${what} must be at most ${max} characters`),
    z.refine(isStorableString, `${what} must not contain NUL or unpaired surrogates`),
  );

const contentId = (what: string) => z.string().check(z.regex(CONTENT_ID_PATTERN, `${what} must be 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit`));

const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Reports, at `path`, every value of `values` seen before. */
function uniqueCheck<T>(pick: (value: T) => { path: (string | number)[]; key: string }[], what: string) {
  return z.check<T>((context) => {
    const seen = new Set<string>();
    for (const { path, key } of pick(context.value)) {
      if (seen.has(key)) context.issues.push({ code: 'custom', message: `${what} "${key}" is used twice`, input: key, path });
      seen.add(key);
    }
  });
}

/** One A/B variant of an offer's button. */
export const OfferVariantSchema = z.strictObject({
  buttonVariantId: contentId('buttonVariantId'),
  label: text(WIDGET_DOCUMENT_LIMITS.label, 'label'),
});

/**
 * An offer an answer leads to. Without `variants`, one button labelled `label` whose clicks
 * carry `buttonVariantId: "default"`; with them, `label` is said above a button labelled
 * with the visitor's variant.
 */
export const OfferSchema = z
  .strictObject({
    offerId: contentId('offerId'),
    label: text(WIDGET_DOCUMENT_LIMITS.label, 'label'),
    url: z.optional(
      z.string().check(
        z.maxLength(WIDGET_DOCUMENT_LIMITS.url, `url must be at most ${WIDGET_DOCUMENT_LIMITS.url} characters`),
        z.refine(isHttpUrl, 'url must be an absolute http(s) URL'),
        z.refine(isStorableString, 'url must not contain NUL or unpaired surrogates'),
      ),
    ),
    variants: z.optional(
      z.array(OfferVariantSchema).check(
        z.minLength(1, 'variants must list at least one variant, or be left out'),
        z.maxLength(WIDGET_DOCUMENT_LIMITS.variants, `at most ${WIDGET_DOCUMENT_LIMITS.variants} variants`),
      ),
    ),
  })
  .check(
    uniqueCheck((offer) => (offer.variants ?? []).map((v, i) => ({ path: ['variants', i, 'buttonVariantId'], key: v.buttonVariantId })), 'buttonVariantId'),
  );

/** An answer to a survey question; one that carries an offer shows it once picked. */
export const SurveyAnswerSchema = z.strictObject({
  id: contentId('id'),
  label: text(WIDGET_DOCUMENT_LIMITS.label, 'label'),
  offer: z.optional(OfferSchema),
});

export const SurveyQuestionSchema = z
  .strictObject({
    id: contentId('id'),
    text: text(WIDGET_DOCUMENT_LIMITS.questionText, 'text'),
    answers: z
      .array(SurveyAnswerSchema)
      .check(z.minLength(1, 'a question needs at least one answer'), z.maxLength(WIDGET_DOCUMENT_LIMITS.answers, `at most ${WIDGET_DOCUMENT_LIMITS.answers} answers`)),
  })
  .check(uniqueCheck((question) => question.answers.map((a, i) => ({ path: ['answers', i, 'id'], key: a.id })), 'answer id'));

export const WidgetThemeSchema = z.strictObject({
  accentColor: z.string().check(z.regex(COLOR_PATTERN, 'accentColor must be a colour like #4f46e5')),
  position: z.enum(WIDGET_POSITIONS, `position must be ${WIDGET_POSITIONS.join(' or ')}`),
  launcherLabel: text(WIDGET_DOCUMENT_LIMITS.launcherLabel, 'launcherLabel'),
});

/** What the widget renders: the only part of the document anyone may read. */
export const WidgetContentSchema = z
  .strictObject({
    greeting: text(WIDGET_DOCUMENT_LIMITS.greeting, 'greeting'),
    survey: z.strictObject({
      questions: z.array(SurveyQuestionSchema).check(z.maxLength(WIDGET_DOCUMENT_LIMITS.questions, `at most ${WIDGET_DOCUMENT_LIMITS.questions} questions`)),
    }),
    theme: WidgetThemeSchema,
    chat: z.strictObject({ enabled: z.boolean() }),
  })
  .check(
    uniqueCheck(
      (content) => content.survey.questions.map((q, i) => ({ path: ['survey', 'questions', i, 'id'], key: q.id })),
      'question id',
    ),
    // Offer ids are unique across the whole survey: analytics count per offer id.
    uniqueCheck(
      (content) =>
        content.survey.questions.flatMap((q, i) =>
          q.answers.flatMap((a, j) => (a.offer ? [{ path: ['survey', 'questions', i, 'answers', j, 'offer', 'offerId'], key: a.offer.offerId }] : [])),
        ),
      'offerId',
    ),
    z.refine((content) => JSON.stringify(content).length <= WIDGET_DOCUMENT_LIMITS.contentLength, {
      message: `content must be at most ${WIDGET_DOCUMENT_LIMITS.contentLength} characters as JSON`,
    }),
  );

/**
 * The widget's webhook: where the collector posts each visitor message for a bot. An absolute
 * http(s) URL of at most 2048 characters; the collector also refuses private addresses unless
 * told otherwise (its own rule, checked on save and before each delivery).
 */
export const WebhookUrlSchema = z.string().check(
  z.maxLength(WIDGET_DOCUMENT_LIMITS.url, `webhookUrl must be at most ${WIDGET_DOCUMENT_LIMITS.url} characters`),
  z.refine(isHttpUrl, 'webhookUrl must be an absolute http(s) URL'),
  z.refine(isStorableString, 'webhookUrl must not contain NUL or unpaired surrogates'),
);

/** What a `PUT /api/widgets/:widgetId` may set. */
export const WidgetDocumentInputSchema = z.strictObject({
  name: text(WIDGET_DOCUMENT_LIMITS.name, 'name'),
  /** Host page origins where the widget may run; empty: anywhere (for development). */
  allowedOrigins: z
    .array(z.string().check(z.refine(isOrigin, 'each allowed origin must be an origin like https://shop.example (scheme, host, port; no path)')))
    .check(
      z.maxLength(WIDGET_DOCUMENT_LIMITS.allowedOrigins, `at most ${WIDGET_DOCUMENT_LIMITS.allowedOrigins} allowed origins`),
      uniqueCheck((origins: string[]) => origins.map((origin, i) => ({ path: [i], key: origin })), 'origin'),
    ),
  content: WidgetContentSchema,
  /**
   * The bot endpoint: left out, the stored one is kept (so editors that do not know the field
   * never clear it); `null` removes it.
   */
  webhookUrl: z.optional(z.nullable(WebhookUrlSchema)),
});

/** A stored widget, as `GET /api/widgets/:widgetId` answers it. */
export const WidgetDocumentSchema = z.strictObject({
  id: z.string(),
  owner: z.string(),
  ...WidgetDocumentInputSchema.shape,
  webhookUrl: z.nullable(WebhookUrlSchema),
  /** Whether deliveries have a signing secret; the secret itself is never in a document. */
  webhookSecretSet: z.boolean(),
  /** Starts at 1, one more with every save: the `If-Match` of the next save. */
  revision: z.int().check(z.minimum(1)),
  /** When it was last saved (ms since the epoch). */
  updatedAt: z.int(),
});

/** The public config (`GET /api/widgets/:widgetId/config`): what the widget renders. */
export const WidgetConfigSchema = z.strictObject({
  widgetId: z.string(),
  revision: z.int().check(z.minimum(1)),
  content: WidgetContentSchema,
});

export type OfferVariant = z.infer<typeof OfferVariantSchema>;
export type Offer = z.infer<typeof OfferSchema>;
export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;
export type SurveyQuestion = z.infer<typeof SurveyQuestionSchema>;
export type WidgetTheme = z.infer<typeof WidgetThemeSchema>;
export type WidgetContent = z.infer<typeof WidgetContentSchema>;
export type WidgetDocumentInput = z.infer<typeof WidgetDocumentInputSchema>;
export type WidgetDocument = z.infer<typeof WidgetDocumentSchema>;
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

/** The registry API's answers: types only here, the widget carries none of their schemas. */
export type { SavedWidgetDocument, WebhookSecretAnswer, WidgetList } from './registry-answers';

/**
 * The content shown when a widget has no config (unregistered, collector never reached):
 * today's built-in greeting and survey. `npm start` registers widget `demo` with it.
 */
export const DEFAULT_WIDGET_CONTENT: WidgetContent = {
  greeting: 'Hi there! How can we help you today?',
  survey: {
    questions: [
      {
        id: 'q-visit-reason',
        text: 'What brings you here today?',
        answers: [
          {
            id: 'a-trail',
            label: 'Trail running',
            offer: {
              offerId: 'offer-trail',
              label: 'Our trail shoes are 20% off this week.',
              variants: [
                { buttonVariantId: 'v-primary', label: 'Shop trail shoes' },
                { buttonVariantId: 'v-urgent', label: 'Get 20% off now' },
              ],
            },
          },
          {
            id: 'a-hiking',
            label: 'Hiking',
            offer: { offerId: 'offer-boots', label: 'See hiking boots' },
          },
          { id: 'a-browse', label: 'Just browsing' },
        ],
      },
    ],
  },
  theme: { accentColor: '#4f46e5', position: 'bottom-right', launcherLabel: 'Chat' },
  chat: { enabled: true },
};

/** Every offer of a content, with the question it belongs to. */
export function offersOf(content: WidgetContent): { questionId: string; answerId: string; offer: Offer }[] {
  return content.survey.questions.flatMap((question) =>
    question.answers.flatMap((answer) => (answer.offer ? [{ questionId: question.id, answerId: answer.id, offer: answer.offer }] : [])),
  );
}

/** One problem of a document, where it is (`content.theme.accentColor`) and what is wrong. */
export interface DocumentProblem {
  path: string;
  message: string;
}

/** A zod error's issues as {@link DocumentProblem}s, for the collector's 400 and the editor's messages. */
export function documentProblems(issues: readonly z.core.$ZodIssue[]): DocumentProblem[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));
}
