import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documentProblems, WidgetDocumentInputSchema } from '../../lib/protocol/widget-document';
import type { DocumentProblem, SavedWidgetDocument, WebhookSecretAnswer, WidgetList } from '../../lib/protocol/widget-document';
import { NOT_FOUND, principalOf, requireApiKey } from '../auth';
import type { KeyRing } from '../auth';
import type { WidgetCache, WidgetRegistry } from '../registry';
import { generateWebhookSecret, resolveWebhookTarget } from '../webhooks';
import type { HostLookup } from '../webhooks';
import { noStore } from './analytics-read';
import { widgetParamsSchema } from './analytics-read-queries';
import { parseRequestPart } from './parse-request-part';
import { etagOf, parseIfMatch } from './revision-headers';

/**
 * Largest body of `PUT /api/widgets/:widgetId` (256 KB): a document at every limit, its
 * content (≤ 32 K characters as JSON) even sent with every character escaped, fits.
 * Ingestion keeps the collector's own limit.
 */
export const WIDGET_DOCUMENT_MAX_BODY_BYTES = 256 * 1024;

/** What the registry API needs. */
export interface WidgetRoutesDeps {
  /** The store, read and written directly: an editor must see the stored revision. */
  store: WidgetRegistry;
  /** The cache of the hot paths, told of every save. */
  widgets: Pick<WidgetCache, 'invalidate'>;
  keyRing: KeyRing;
  /** The clock (ms): a save's `updatedAt`. */
  now: () => number;
  /** Accept webhook URLs that reach private addresses (`FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE`). */
  webhookAllowPrivate: boolean;
  /** How webhook hosts are resolved for the private-address check (tests). @default the system resolver */
  lookup?: HostLookup;
}

/** Fields of a GET (or PUT) answer a client may send back with a PUT; ignored (`id` must match the path). */
const READ_ONLY_FIELDS = ['id', 'owner', 'revision', 'updatedAt', 'webhookSecretSet', 'webhookSecret'] as const;

const invalidDocument = (reply: FastifyReply, problems: DocumentProblem[]) => reply.code(400).send({ error: 'invalid widget document', problems });

const sendDocument = (reply: FastifyReply, status: 200 | 201, widget: SavedWidgetDocument) => reply.code(status).header('ETag', etagOf(widget.revision)).send(widget);

/**
 * The widget registry API, `Authorization: Bearer <key>` on every route, `Cache-Control:
 * no-store` on every answer. A key reaches the widgets of its owner that its grants name (`*`:
 * all of them); anything else is 404 `{ "error": "not found" }`, as for an unknown widget.
 *
 * - `GET /api/widgets`: `WidgetList` of the key's reachable widgets, by id.
 * - `GET /api/widgets/:widgetId`: the `WidgetDocument`, `ETag: "<revision>"`.
 * - `PUT /api/widgets/:widgetId`: saves the whole document (`WidgetDocumentInputSchema`).
 *   1. Key (401), grant (404), path (400), `If-Match` (400), body (400 with `problems`).
 *   2. `If-Match: "<revision>"`: saved only if that is the stored revision, else 412
 *      `{ error: "stale revision", revision }` (0: not registered). `If-Match: *`: only if the
 *      widget exists. `If-None-Match: *`: only if it does not exist yet (412 with the stored
 *      revision otherwise). None: saved whatever the stored revision (last write wins).
 *   3. 201 for a new widget (owned by the key's owner), 200 for an update; both with the saved
 *      document and its ETag; a widget of another owner is 404 and left alone.
 *   4. The cache of this process forgets the widget; other collectors see the save within
 *      their cache's TTL.
 *   5. `webhookUrl`: left out keeps the stored one, `null` removes it. A URL whose host
 *      resolves to a private address is a 400 unless `webhookAllowPrivate`. The save that sets
 *      a widget's first URL answers its new signing secret once, as `webhookSecret`.
 * - `POST /api/widgets/:widgetId/webhook/secret`: a new signing secret (the old one stops
 *   signing at once), answered once as `{ secret }`; same keys and owners as `PUT`.
 */
export function registerWidgetRoutes(app: FastifyInstance, deps: WidgetRoutesDeps): void {
  const { store } = deps;
  const widgetGuard = requireApiKey(deps.keyRing, 'widget');
  const ownerGuard = requireApiKey(deps.keyRing, 'owner');
  const widgetIdOf = (request: FastifyRequest) => parseRequestPart(widgetParamsSchema, request.params, 'path').widgetId;

  void app.register(async (scope) => {
    scope.addHook('onRequest', noStore);

    scope.get('/api/widgets', { onRequest: ownerGuard }, async (request): Promise<WidgetList> => {
      const principal = principalOf(request);
      const owned = await store.listWidgets(principal.owner);
      return {
        widgets: owned
          .filter((widget) => principal.canAccess(widget.id))
          .map(({ id, owner, name, revision, updatedAt }) => ({ id, owner, name, revision, updatedAt })),
      };
    });

    scope.get('/api/widgets/:widgetId', { onRequest: widgetGuard }, async (request, reply) => {
      const widgetId = widgetIdOf(request);
      const widget = await store.getWidget(widgetId);
      if (widget === null || widget.owner !== principalOf(request).owner) return reply.code(404).send(NOT_FOUND);
      return sendDocument(reply, 200, widget);
    });

    scope.put('/api/widgets/:widgetId', { onRequest: widgetGuard, bodyLimit: WIDGET_DOCUMENT_MAX_BODY_BYTES }, async (request, reply) => {
      const widgetId = widgetIdOf(request);
      const { owner } = principalOf(request);
      const ifMatch = parseIfMatch(request.headers['if-match']);
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return invalidDocument(reply, [{ path: '', message: 'the body must be a JSON object: the whole widget document' }]);
      }
      const sent = body as Record<string, unknown>;
      if (sent.id !== undefined && sent.id !== widgetId) {
        return invalidDocument(reply, [{ path: 'id', message: `id must be the widget id of the path (${widgetId}), or be left out` }]);
      }
      // `Object.fromEntries` defines own fields: a `__proto__` key stays one, which the schema refuses.
      const input = Object.fromEntries(Object.entries(sent).filter(([key]) => !(READ_ONLY_FIELDS as readonly string[]).includes(key)));
      const parsed = WidgetDocumentInputSchema.safeParse(input);
      if (!parsed.success) return invalidDocument(reply, documentProblems(parsed.error.issues));
      const webhookUrl = parsed.data.webhookUrl;
      if (typeof webhookUrl === 'string' && !deps.webhookAllowPrivate) {
        const target = await resolveWebhookTarget(webhookUrl, { allowPrivate: false, ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }) });
        // A name that does not resolve (yet) is accepted: deliveries check again, and retry.
        if (!target.ok && target.reason === 'private address') {
          return invalidDocument(reply, [
            { path: 'webhookUrl', message: `webhookUrl must not reach a private address (${target.detail}); the collector allows that only with FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE=1` },
          ]);
        }
      }

      let expectedRevision: number | null = typeof ifMatch === 'number' ? ifMatch : null;
      // `If-None-Match: *`: create only, atomically (a widget saved in between is not overwritten).
      if (request.headers['if-none-match']?.trim() === '*') expectedRevision = 0;
      if (ifMatch === 'any') {
        // Widgets are never deleted: once this read finds it, it still exists at the save.
        const current = await store.getWidget(widgetId);
        if (current !== null && current.owner !== owner) return reply.code(404).send(NOT_FOUND);
        if (current === null) return reply.code(412).send({ error: 'stale revision', revision: 0 });
        expectedRevision = null;
      }
      const result = await store.putWidget({ widgetId, owner, document: parsed.data, expectedRevision, now: deps.now() });
      switch (result.outcome) {
        case 'created':
        case 'updated':
          deps.widgets.invalidate(widgetId);
          request.log.info({ widgetId, owner, revision: result.widget.revision }, `widget ${result.outcome}`);
          if (result.webhookSecret !== undefined) request.log.info({ widgetId, owner }, 'webhook secret created');
          return sendDocument(
            reply,
            result.outcome === 'created' ? 201 : 200,
            result.webhookSecret === undefined ? result.widget : { ...result.widget, webhookSecret: result.webhookSecret },
          );
        case 'stale':
          return reply.code(412).send({ error: 'stale revision', revision: result.revision });
        case 'other_owner':
          return reply.code(404).send(NOT_FOUND);
      }
    });

    scope.post('/api/widgets/:widgetId/webhook/secret', { onRequest: widgetGuard }, async (request, reply) => {
      const widgetId = widgetIdOf(request);
      const { owner } = principalOf(request);
      const secret = generateWebhookSecret();
      if (!(await store.rotateWebhookSecret(widgetId, owner, secret))) return reply.code(404).send(NOT_FOUND);
      request.log.info({ widgetId, owner }, 'webhook secret rotated');
      const answer: WebhookSecretAnswer = { secret };
      return reply.code(200).send(answer);
    });
  });
}
