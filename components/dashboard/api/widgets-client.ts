import type { WidgetDocument, WidgetDocumentInput, WidgetList } from '../../../lib/protocol/widget-document';
import { DashboardError, DashboardErrorCode, isDashboardError } from './dashboard-error';
import { createApiRequester } from './http';
import type { ApiClientOptions } from './http';

/** One entry of the widget list. */
export type WidgetSummary = WidgetList['widgets'][number];

/** What a save did. */
export interface SavedWidget {
  /** `created` (201): the first save of a new widget; `updated` (200). */
  outcome: 'created' | 'updated';
  document: WidgetDocument;
  /** The webhook secret, when this save first set a webhook URL: shown this once. */
  webhookSecret?: string;
}

/** The widget registry as the key sees it, each call abortable. */
export interface WidgetsClient {
  /** `GET /api/widgets`: the registered widgets the key may see. */
  list(signal?: AbortSignal): Promise<WidgetSummary[]>;
  /** `GET /api/widgets/:widgetId`: the document (its `revision` is the `If-Match` of the next save). */
  get(widgetId: string, signal?: AbortSignal): Promise<WidgetDocument>;
  /**
   * `PUT /api/widgets/:widgetId`. `revision` is the one loaded: the save is refused with
   * `STALE_REVISION` if someone saved in between. `null` creates a widget: it rejects with
   * `STALE_REVISION` if the widget exists already (checked with a GET just before the PUT,
   * which also says `If-None-Match: *`), never replacing it.
   */
  save(widgetId: string, input: WidgetDocumentInput, revision: number | null, signal?: AbortSignal): Promise<SavedWidget>;
  /** `POST /api/widgets/:widgetId/webhook/secret`: a new webhook secret (the old one stops working), shown this once. */
  rotateWebhookSecret(widgetId: string, signal?: AbortSignal): Promise<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A document's shape, checked loosely: the editor reads every field, and a wrong answer must fail here, not in the form. */
function asDocument(body: unknown, status: number): WidgetDocument {
  const content = isRecord(body) ? body.content : undefined;
  if (
    !isRecord(body) ||
    typeof body.id !== 'string' ||
    typeof body.name !== 'string' ||
    !Array.isArray(body.allowedOrigins) ||
    typeof body.revision !== 'number' ||
    !isRecord(content) ||
    !isRecord(content.survey) ||
    !Array.isArray(content.survey.questions) ||
    !isRecord(content.theme) ||
    !isRecord(content.chat)
  ) {
    throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer is not a widget document', { status });
  }
  // The secret of a save's answer is not part of the document: it must never be sent back.
  const document: Record<string, unknown> = { ...body };
  delete document.webhookSecret;
  return document as unknown as WidgetDocument;
}

/** The `webhookSecret` of a save's answer, if it has one. */
const secretOf = (body: unknown): { webhookSecret?: string } =>
  isRecord(body) && typeof body.webhookSecret === 'string' && body.webhookSecret !== '' ? { webhookSecret: body.webhookSecret } : {};

/**
 * A client of the widget registry's routes (`/api/widgets`), with the key as a bearer token;
 * the deadline, aborts and errors are those of {@link createApiRequester}.
 */
export function createWidgetsClient(options: ApiClientOptions): WidgetsClient {
  const request = createApiRequester(options);
  const pathOf = (widgetId: string): string => `/api/widgets/${encodeURIComponent(widgetId)}`;
  const getDocument = async (widgetId: string, signal: AbortSignal | undefined): Promise<WidgetDocument> => {
    const answer = await request<unknown>({ path: pathOf(widgetId), signal });
    return asDocument(answer.body, answer.status);
  };

  return {
    async list(signal) {
      const answer = await request<{ widgets?: unknown }>({ path: '/api/widgets', signal });
      if (!Array.isArray(answer.body.widgets)) {
        throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer has no widget list', { status: answer.status });
      }
      return answer.body.widgets.filter((entry): entry is WidgetSummary => isRecord(entry) && typeof entry.id === 'string');
    },
    get: getDocument,
    async save(widgetId, input, revision, signal) {
      if (revision === null) {
        // The collector saves a PUT without If-Match unconditionally: look first, so creating
        // never replaces a widget someone registered under this id meanwhile.
        const existing = await getDocument(widgetId, signal).catch((error: unknown) => {
          if (isDashboardError(error, DashboardErrorCode.NOT_FOUND)) return null;
          throw error;
        });
        if (existing !== null) {
          throw new DashboardError(DashboardErrorCode.STALE_REVISION, 'the widget exists already', { revision: existing.revision });
        }
      }
      const answer = await request<unknown>({
        method: 'PUT',
        path: pathOf(widgetId),
        headers: revision === null ? { 'If-None-Match': '*' } : { 'If-Match': `"${revision}"` },
        body: input,
        signal,
      });
      return { outcome: answer.status === 201 ? 'created' : 'updated', document: asDocument(answer.body, answer.status), ...secretOf(answer.body) };
    },
    async rotateWebhookSecret(widgetId, signal) {
      const answer = await request<{ secret?: unknown }>({ method: 'POST', path: `${pathOf(widgetId)}/webhook/secret`, signal });
      if (typeof answer.body.secret !== 'string' || answer.body.secret === '') {
        throw new DashboardError(DashboardErrorCode.INVALID_RESPONSE, 'the answer has no webhook secret', { status: answer.status });
      }
      return answer.body.secret;
    },
  };
}
