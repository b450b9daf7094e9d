import type { WidgetDocument, WidgetDocumentInput } from '../../lib/protocol/widget-document';

/** A save of a widget document, as `PUT /api/widgets/:widgetId` asks for it. */
export interface PutWidget {
  widgetId: string;
  /** The key's owner: a new widget gets it; an existing widget of another owner is not touched. */
  owner: string;
  document: WidgetDocumentInput;
  /**
   * `If-Match`: the revision the client last read; `0`: create only (`If-None-Match: *`);
   * `null` saves unconditionally.
   */
  expectedRevision: number | null;
  /** When (ms since the epoch): the saved `updatedAt`. */
  now: number;
  /**
   * The signing secret to keep if this save sets a webhook URL on a widget without one.
   * @default a fresh one (`generateWebhookSecret`)
   */
  newWebhookSecret?: string;
}

/** What a save did. */
export type PutWidgetResult =
  /** `webhookSecret`: this save set the widget's first webhook URL and made its secret (shown once). */
  | { outcome: 'created' | 'updated'; widget: WidgetDocument; webhookSecret?: string }
  /** `expectedRevision` is not the stored one: nothing saved (412). */
  | { outcome: 'stale'; revision: number }
  /** The widget exists under another owner: nothing saved (404, as if unknown). */
  | { outcome: 'other_owner' };

/**
 * The widget registry: each widget's document, kept by the collector's store (SQLite or
 * PostgreSQL, one contract test suite for both).
 */
export interface WidgetRegistry {
  /** The document of a widget, or `null` when it is not registered. */
  getWidget(widgetId: string): Promise<WidgetDocument | null>;
  /** Every registered widget of `owner`, by id. */
  listWidgets(owner: string): Promise<WidgetDocument[]>;
  /**
   * Creates or replaces a document in one statement: the revision check and the write are
   * atomic, so of two saves with the same `expectedRevision` exactly one wins.
   */
  putWidget(put: PutWidget): Promise<PutWidgetResult>;
  /**
   * Replaces the webhook signing secret of a widget of `owner` with `secret`; `false` (nothing
   * changed) when there is no such widget. The revision does not move.
   */
  rotateWebhookSecret(widgetId: string, owner: string, secret: string): Promise<boolean>;
}
