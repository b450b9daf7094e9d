import { WebhookUrlSchema } from '../../../lib/protocol/widget-document';
import type { DocumentProblem, WidgetDocumentInput } from '../../../lib/protocol/widget-document';

/*
 * The editor's webhook field and what a save sends. The widget document has `webhookUrl`
 * (a string, or null for none); in a `PUT` it is left out to keep it as it is, so the editor
 * sends it only when the user changed it (and a collector from before webhooks never sees it).
 */

/** Where the webhook URL is in the document. */
export const WEBHOOK_URL_PATH = 'webhookUrl';

/** Fields a loaded document has that a save must not send back: the collector sets them. */
const SERVER_FIELDS = new Set(['id', 'owner', 'revision', 'updatedAt']);
/** Fields the editor sets itself. */
const EDITED_FIELDS = new Set(['name', 'allowedOrigins', 'content', WEBHOOK_URL_PATH]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document's webhook URL, `""` when it has none (or does not know the field). */
export function webhookUrlOf(document: object): string {
  const value = (document as { webhookUrl?: unknown }).webhookUrl;
  return typeof value === 'string' ? value : '';
}

/** The problems of a webhook URL: empty (none), or what the contract's `WebhookUrlSchema` says of it. */
export function webhookProblems(url: string): DocumentProblem[] {
  if (url === '') return [];
  const result = WebhookUrlSchema.safeParse(url);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: WEBHOOK_URL_PATH, message: issue.message }));
}

/**
 * The body of a save: the form's document, plus every field of the loaded document the editor
 * does not edit (top level and in `content`: a collector newer than this page may have added
 * some; a `PUT` is the whole document, so leaving them out would remove them), plus
 * `webhookUrl` when it changed (`null` removes it). Never the collector's own fields
 * (`id`, `revision`…) nor a secret.
 */
export function saveBodyOf(input: WidgetDocumentInput, loaded: object | null, webhookUrl: { now: string; saved: string }): WidgetDocumentInput {
  const kept: Record<string, unknown> = {};
  const keptContent: Record<string, unknown> = {};
  if (loaded !== null) {
    for (const [key, value] of Object.entries(loaded)) {
      if (!SERVER_FIELDS.has(key) && !EDITED_FIELDS.has(key) && !/secret/i.test(key)) kept[key] = value;
    }
    const content = (loaded as { content?: unknown }).content;
    if (isRecord(content)) {
      for (const [key, value] of Object.entries(content)) if (!(key in input.content)) keptContent[key] = value;
    }
  }
  const changed = webhookUrl.now !== webhookUrl.saved;
  return {
    ...kept,
    ...input,
    content: { ...keptContent, ...input.content },
    ...(changed ? { webhookUrl: webhookUrl.now === '' ? null : webhookUrl.now } : {}),
  } as WidgetDocumentInput;
}
