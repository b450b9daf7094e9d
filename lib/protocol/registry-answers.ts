/**
 * The registry API's answers as schemas (the OpenAPI document is generated from them);
 * `widget-document.ts` re-exports the types only, so the widget carries none of these.
 */
import * as z from 'zod/mini';
import { WidgetDocumentSchema } from './widget-document';

/**
 * The answer of a `PUT`: the saved document, plus `webhookSecret` once, when this save set the
 * widget's first webhook URL and the collector made its signing secret.
 */
export const SavedWidgetDocumentSchema = z.strictObject({ ...WidgetDocumentSchema.shape, webhookSecret: z.optional(z.string()) });
export type SavedWidgetDocument = z.infer<typeof SavedWidgetDocumentSchema>;

/** `POST /api/widgets/:widgetId/webhook/secret`: the new signing secret, shown this once. */
export const WebhookSecretAnswerSchema = z.strictObject({ secret: z.string() });
export type WebhookSecretAnswer = z.infer<typeof WebhookSecretAnswerSchema>;

/** One widget of `GET /api/widgets`. */
export const WidgetListItemSchema = z.strictObject({
  id: z.string(),
  owner: z.string(),
  name: WidgetDocumentSchema.shape.name,
  revision: WidgetDocumentSchema.shape.revision,
  updatedAt: WidgetDocumentSchema.shape.updatedAt,
});

/** The answer of `GET /api/widgets`. */
export const WidgetListSchema = z.strictObject({ widgets: z.array(WidgetListItemSchema) });
export type WidgetList = z.infer<typeof WidgetListSchema>;

/** One problem of a refused document: where (`content.offers.0.url`) and what. */
export const DocumentProblemSchema = z.strictObject({ path: z.string(), message: z.string() });

/** The 400 of a `PUT` whose document is refused. */
export const InvalidDocumentAnswerSchema = z.strictObject({ error: z.literal('invalid widget document'), problems: z.array(DocumentProblemSchema) });
export type InvalidDocumentAnswer = z.infer<typeof InvalidDocumentAnswerSchema>;

/** The 412 of a conditional `PUT`: the stored revision (0: not registered). */
export const StaleRevisionAnswerSchema = z.strictObject({ error: z.literal('stale revision'), revision: z.int().check(z.minimum(0)) });
export type StaleRevisionAnswer = z.infer<typeof StaleRevisionAnswerSchema>;
