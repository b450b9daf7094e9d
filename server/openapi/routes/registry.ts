import { z } from 'zod';
import { InvalidDocumentAnswerSchema, SavedWidgetDocumentSchema, StaleRevisionAnswerSchema, WebhookSecretAnswerSchema, WidgetListSchema } from '../../../lib/protocol/registry-answers';
import { WidgetDocumentInputSchema, WidgetDocumentSchema } from '../../../lib/protocol/widget-document';
import { widgetParamsSchema } from '../../routes/analytics-read-queries';
import { ANSWERS, ErrorAnswerSchema } from '../answers';
import { describeRoute } from '../describe-route';
import type { RouteDoc } from '../describe-route';

const etag = { ETag: { description: 'The revision, `"<revision>"`: the `If-Match` of the next save.' } };
const common = { 401: ANSWERS.unauthorized, 503: ANSWERS.unavailable, 500: ANSWERS.internal };
const notFound = ANSWERS.notFound('not registered, another owner’s, or the key may not reach it');

/** The widget registry API (`widgets.ts`). */
export const REGISTRY_ROUTES: readonly RouteDoc[] = [
  describeRoute({
    method: 'GET',
    path: '/api/widgets',
    operationId: 'listWidgets',
    summary: 'The widgets the key reaches, by id',
    tags: ['widgets'],
    security: 'apiKey',
    responses: { 200: { description: 'The widgets.', schema: WidgetListSchema }, ...common },
  }),
  describeRoute({
    method: 'GET',
    path: '/api/widgets/:widgetId',
    operationId: 'getWidget',
    summary: 'A widget’s whole document',
    tags: ['widgets'],
    security: 'apiKey',
    params: widgetParamsSchema,
    responses: { 200: { description: 'The document.', schema: WidgetDocumentSchema, headers: etag }, 400: ANSWERS.badRequest('the widget id'), 404: notFound, ...common },
  }),
  describeRoute({
    method: 'PUT',
    path: '/api/widgets/:widgetId',
    operationId: 'putWidget',
    summary: 'Saves a widget’s whole document',
    description:
      '`If-Match: "<revision>"` saves only over that revision, `If-Match: *` only an existing widget, `If-None-Match: *` only a new one; none: last write wins. Read-only fields of a GET answer may be sent back and are ignored. The save that sets a first webhook URL answers its signing secret once, as `webhookSecret`.',
    tags: ['widgets'],
    security: 'apiKey',
    params: widgetParamsSchema,
    headers: [
      { name: 'If-Match', description: 'The ETag of the last read (`"3"` or `3`), or `*`.' },
      { name: 'If-None-Match', description: '`*`: create only.' },
    ],
    body: { schema: WidgetDocumentInputSchema },
    responses: {
      200: { description: 'Updated.', schema: SavedWidgetDocumentSchema, headers: etag },
      201: { description: 'Created, owned by the key’s owner.', schema: SavedWidgetDocumentSchema, headers: etag },
      400: {
        description: 'A bad widget id or `If-Match` (`{ error }`), or a refused document (`{ error: "invalid widget document", problems }`).',
        schema: z.union([ErrorAnswerSchema, InvalidDocumentAnswerSchema]),
      },
      404: notFound,
      412: { description: 'The condition failed: the stored revision (0: not registered).', schema: StaleRevisionAnswerSchema },
      413: ANSWERS.tooLarge,
      415: ANSWERS.unsupportedType,
      ...common,
    },
  }),
  describeRoute({
    method: 'POST',
    path: '/api/widgets/:widgetId/webhook/secret',
    operationId: 'rotateWebhookSecret',
    summary: 'A new webhook signing secret (the old one stops signing at once), answered once',
    tags: ['widgets'],
    security: 'apiKey',
    params: widgetParamsSchema,
    responses: { 200: { description: 'The new secret.', schema: WebhookSecretAnswerSchema }, 400: ANSWERS.badRequest('the widget id'), 404: notFound, ...common },
  }),
];
