import type { WidgetDocument } from '../../lib/protocol/widget-document';
import type { PutWidget, PutWidgetResult } from '../registry/types';
import { generateWebhookSecret } from '../webhooks/webhook-secret';
import { rows } from './sql-runner';
import type { Work } from './sql-runner';
import { recordToWidget, WIDGET_COLUMNS } from './widgets-schema';
import type { WidgetRecord } from './widgets-schema';

/*
 * The registry's SQL, written once for both engines as {@link Work}: SQLite runs it
 * synchronously, PostgreSQL on its pool. Every save is one statement, so the revision check
 * and the write cannot be separated by another save.
 */

/** How a JSON value is bound: `?` on SQLite (text), `?::jsonb` on PostgreSQL. */
export type JsonPlaceholder = '?' | '?::jsonb';

const first = (found: Record<string, unknown>[]): WidgetDocument | null => {
  const record = found[0];
  return record === undefined ? null : recordToWidget(record as WidgetRecord);
};

/** The stored webhook secret of a row a save returned (to tell whether the save made it). */
const secretOf = (found: Record<string, unknown>[]): unknown => found[0]?.webhook_secret ?? null;

/** The document of one widget, or `null`. */
export function* getWidgetWork(widgetId: string): Work<WidgetDocument | null> {
  return first((yield rows(`SELECT ${WIDGET_COLUMNS} FROM widgets WHERE id = ?`, widgetId)).rows);
}

/** Every widget of one owner, by id. */
export function* listWidgetsWork(owner: string): Work<WidgetDocument[]> {
  const found = yield rows(`SELECT ${WIDGET_COLUMNS} FROM widgets WHERE owner = ? ORDER BY id`, owner);
  return found.rows.map((record) => recordToWidget(record as WidgetRecord));
}

/**
 * One save.
 *
 * 1. Unconditional (`expectedRevision: null`): one upsert. A new id is inserted at revision 1;
 *    an existing one of the same owner is replaced at revision + 1; one of another owner is
 *    left alone (the `WHERE` of `DO UPDATE` fails, nothing comes back).
 * 2. Conditional: one `UPDATE … WHERE revision = ? AND owner = ?`; of two saves with the same
 *    expected revision the second finds the revision moved on and changes nothing. Expected
 *    revision 0 (not registered): one `INSERT … ON CONFLICT DO NOTHING`, create only.
 * 3. The webhook, in the same statement: `webhookUrl` left out keeps the stored URL, `null`
 *    removes it (the secret stays, for a URL set again later). A URL set on a widget without a
 *    secret stores the candidate secret; the result carries it only when the row came back
 *    with exactly that secret, i.e. when this save made it.
 * 4. Nothing written: one read says why (another owner, or the revision now stored; 0 when
 *    the widget does not exist). It only explains a refusal already made.
 */
export function* putWidgetWork(put: PutWidget, json: JsonPlaceholder): Work<PutWidgetResult> {
  const { widgetId, owner, document, now } = put;
  const origins = JSON.stringify(document.allowedOrigins);
  const content = JSON.stringify(document.content);
  const setsUrl = document.webhookUrl === undefined ? 0 : 1;
  const url = document.webhookUrl ?? null;
  const candidate = put.newWebhookSecret ?? generateWebhookSecret();
  const secretIfUrl = url === null ? null : candidate;
  let found: Record<string, unknown>[];
  if (put.expectedRevision === null) {
    found = (yield rows(
      `INSERT INTO widgets (id, owner, name, allowed_origins, content, revision, updated_at, webhook_url, webhook_secret)
       VALUES (?, ?, ?, ${json}, ${json}, 1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         name = excluded.name, allowed_origins = excluded.allowed_origins, content = excluded.content,
         revision = widgets.revision + 1, updated_at = excluded.updated_at,
         webhook_url = CASE WHEN ? = 1 THEN excluded.webhook_url ELSE widgets.webhook_url END,
         webhook_secret = COALESCE(widgets.webhook_secret, excluded.webhook_secret)
       WHERE widgets.owner = excluded.owner
       RETURNING ${WIDGET_COLUMNS}`,
      widgetId,
      owner,
      document.name,
      origins,
      content,
      now,
      url,
      secretIfUrl,
      setsUrl,
    )).rows;
  } else if (put.expectedRevision === 0) {
    // Create only (`If-None-Match: *`): an id already taken, by anyone, is left alone.
    found = (yield rows(
      `INSERT INTO widgets (id, owner, name, allowed_origins, content, revision, updated_at, webhook_url, webhook_secret)
       VALUES (?, ?, ?, ${json}, ${json}, 1, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${WIDGET_COLUMNS}`,
      widgetId,
      owner,
      document.name,
      origins,
      content,
      now,
      url,
      secretIfUrl,
    )).rows;
  } else {
    found = (yield rows(
      `UPDATE widgets SET name = ?, allowed_origins = ${json}, content = ${json}, revision = revision + 1, updated_at = ?,
         webhook_url = CASE WHEN ? = 1 THEN CAST(? AS TEXT) ELSE webhook_url END,
         webhook_secret = COALESCE(webhook_secret, CAST(? AS TEXT))
       WHERE id = ? AND owner = ? AND revision = ?
       RETURNING ${WIDGET_COLUMNS}`,
      document.name,
      origins,
      content,
      now,
      setsUrl,
      url,
      secretIfUrl,
      widgetId,
      owner,
      put.expectedRevision,
    )).rows;
  }
  const saved = first(found);
  if (saved !== null) {
    const outcome = saved.revision === 1 ? 'created' : 'updated';
    return secretIfUrl !== null && secretOf(found) === candidate ? { outcome, widget: saved, webhookSecret: candidate } : { outcome, widget: saved };
  }
  const current = yield* getWidgetWork(widgetId);
  if (current !== null && current.owner !== owner) return { outcome: 'other_owner' };
  return { outcome: 'stale', revision: current?.revision ?? 0 };
}

/**
 * Replaces a widget's webhook secret (one statement). `false` when the widget does not exist
 * or belongs to another owner: nothing changed. The revision does not move: the secret is not
 * part of the document, and an editor's next save must not turn stale because of it.
 */
export function* rotateWebhookSecretWork(widgetId: string, owner: string, secret: string): Work<boolean> {
  const changed = yield rows(`UPDATE widgets SET webhook_secret = ? WHERE id = ? AND owner = ? RETURNING id`, secret, widgetId, owner);
  return changed.rows.length === 1;
}
