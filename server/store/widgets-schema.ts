import type { WidgetContent, WidgetDocument } from '../../lib/protocol/widget-document';

/** The column types that differ between the engines. */
export interface WidgetsSchemaTypes {
  /** Milliseconds since the epoch: `INTEGER` on SQLite (64-bit), `BIGINT` on PostgreSQL. */
  integer: 'INTEGER' | 'BIGINT';
  /** `allowed_origins` and `content`: `TEXT` on SQLite, `JSONB` on PostgreSQL. */
  json: 'TEXT' | 'JSONB';
}

/**
 * The widget registry's table (migration 3 of both engines), written once. A widget is never
 * deleted, so once it exists it stays (the `If-Match: *` check relies on it).
 */
export function widgetsSchemaSql(types: WidgetsSchemaTypes): string {
  return `
      CREATE TABLE widgets (
        id               TEXT    NOT NULL PRIMARY KEY,
        owner            TEXT    NOT NULL,
        name             TEXT    NOT NULL,
        allowed_origins  ${types.json} NOT NULL,
        content          ${types.json} NOT NULL,
        revision         INTEGER NOT NULL CHECK (revision >= 1),
        updated_at       ${types.integer} NOT NULL
      );
      CREATE INDEX widgets_owner ON widgets (owner, id);
    `;
}

/**
 * Columns of `widgets` as read back, in the order of {@link recordToWidget}. `webhook_url` and
 * `webhook_secret` come with migration 5; the secret is read so that a save can tell whether it
 * made it, and never leaves {@link recordToWidget}.
 */
export const WIDGET_COLUMNS = 'id, owner, name, allowed_origins, content, revision, updated_at, webhook_url, webhook_secret';

/** A `widgets` row as the drivers hand it back: JSON as text (SQLite) or parsed (JSONB), BIGINT maybe as a string. */
export type WidgetRecord = Record<
  'id' | 'owner' | 'name' | 'allowed_origins' | 'content' | 'revision' | 'updated_at' | 'webhook_url' | 'webhook_secret',
  unknown
>;

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * A row back into a document, without the webhook secret. Rows are written only from documents
 * the schema accepted, so they are read without checking again.
 */
export function recordToWidget(record: WidgetRecord): WidgetDocument {
  return {
    id: String(record.id),
    owner: String(record.owner),
    name: String(record.name),
    allowedOrigins: json(record.allowed_origins) as string[],
    content: json(record.content) as WidgetContent,
    revision: Number(record.revision),
    updatedAt: Number(record.updated_at),
    webhookUrl: record.webhook_url === null || record.webhook_url === undefined ? null : String(record.webhook_url),
    webhookSecretSet: record.webhook_secret !== null && record.webhook_secret !== undefined,
  };
}
