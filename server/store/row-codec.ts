import type { EventKind, EventRow, JsonObject } from './types';

/** Column names of the `events` table, in insert order (shared by both engines). */
export const EVENT_COLUMNS = [
  'widget_id',
  'event_id',
  'kind',
  'name',
  'category',
  'session_id',
  'anonymous_id',
  'user_id',
  'question_id',
  'offer_id',
  'button_variant_id',
  'ts',
  'received_at',
  'batch_id',
  'ip',
  'user_agent',
  'properties',
  'context',
  'bot',
] as const;

/** A row as the database drivers hand it back. */
export type RawEventRecord = Record<(typeof EVENT_COLUMNS)[number], unknown>;

/** A row's values in {@link EVENT_COLUMNS} order, JSON as text. */
export function rowToValues(row: EventRow): (string | number | null)[] {
  return [
    row.widgetId,
    row.eventId,
    row.kind,
    row.name,
    row.category,
    row.sessionId,
    row.anonymousId,
    row.userId,
    row.questionId,
    row.offerId,
    row.buttonVariantId,
    row.ts,
    row.receivedAt,
    row.batchId,
    row.ip,
    row.userAgent,
    row.properties === null ? null : JSON.stringify(row.properties),
    row.context === null ? null : JSON.stringify(row.context),
    row.bot ? 1 : 0,
  ];
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const json = (value: unknown): JsonObject | null => {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as JsonObject;
};

/** Turns a driver record back into an {@link EventRow}; numbers may come back as strings (bigint). */
export function recordToRow(record: RawEventRecord): EventRow {
  return {
    widgetId: String(record.widget_id),
    eventId: String(record.event_id),
    kind: String(record.kind) as EventKind,
    name: String(record.name),
    category: str(record.category),
    sessionId: String(record.session_id),
    anonymousId: str(record.anonymous_id),
    userId: str(record.user_id),
    questionId: str(record.question_id),
    offerId: str(record.offer_id),
    buttonVariantId: str(record.button_variant_id),
    ts: Number(record.ts),
    receivedAt: Number(record.received_at),
    batchId: str(record.batch_id),
    ip: str(record.ip),
    userAgent: str(record.user_agent),
    properties: json(record.properties),
    context: json(record.context),
    bot: Number(record.bot) === 1,
  };
}
