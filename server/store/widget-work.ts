import type { WidgetDocument } from '../../lib/protocol/widget-document';
import type { PutWidget, PutWidgetResult } from '../registry/types';
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
 * 3. Nothing written: one read says why (another owner, or the revision now stored; 0 when
 *    the widget does not exist). It only explains a refusal already made.
 */
export function* putWidgetWork(put: PutWidget, json: JsonPlaceholder): Work<PutWidgetResult> {
  const { widgetId, owner, document, now } = put;
  const origins = JSON.stringify(document.allowedOrigins);
  const content = JSON.stringify(document.content);
  let saved: WidgetDocument | null;
  if (put.expectedRevision === null) {
    saved = first(
      (yield rows(
        `INSERT INTO widgets (id, owner, name, allowed_origins, content, revision, updated_at)
         VALUES (?, ?, ?, ${json}, ${json}, 1, ?)
         ON CONFLICT (id) DO UPDATE SET
           name = excluded.name, allowed_origins = excluded.allowed_origins, content = excluded.content,
           revision = widgets.revision + 1, updated_at = excluded.updated_at
         WHERE widgets.owner = excluded.owner
         RETURNING ${WIDGET_COLUMNS}`,
        widgetId,
        owner,
        document.name,
        origins,
        content,
        now,
      )).rows,
    );
  } else if (put.expectedRevision === 0) {
    // Create only (`If-None-Match: *`): an id already taken, by anyone, is left alone.
    saved = first(
      (yield rows(
        `INSERT INTO widgets (id, owner, name, allowed_origins, content, revision, updated_at)
         VALUES (?, ?, ?, ${json}, ${json}, 1, ?)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${WIDGET_COLUMNS}`,
        widgetId,
        owner,
        document.name,
        origins,
        content,
        now,
      )).rows,
    );
  } else {
    saved = first(
      (yield rows(
        `UPDATE widgets SET name = ?, allowed_origins = ${json}, content = ${json}, revision = revision + 1, updated_at = ?
         WHERE id = ? AND owner = ? AND revision = ?
         RETURNING ${WIDGET_COLUMNS}`,
        document.name,
        origins,
        content,
        now,
        widgetId,
        owner,
        put.expectedRevision,
      )).rows,
    );
  }
  if (saved !== null) return { outcome: saved.revision === 1 ? 'created' : 'updated', widget: saved };
  const current = yield* getWidgetWork(widgetId);
  if (current !== null && current.owner !== owner) return { outcome: 'other_owner' };
  return { outcome: 'stale', revision: current?.revision ?? 0 };
}
