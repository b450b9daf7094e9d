import type { AnalyticsReader } from '../analytics/types';
import type { ConversationStore } from '../conversations/types';
import type { WidgetRegistry } from '../registry/types';
import type { WebhookOutbox } from '../webhooks/types';

/** What produced an event: an offer click or a generic analytics event. */
export type EventKind = 'click' | 'analytics';

/** A JSON object as kept in `properties` / `context`. */
export type JsonObject = { readonly [key: string]: unknown };

/** One raw event as stored: one row of the `events` table. */
export interface EventRow {
  widgetId: string;
  /** The client's event id: with `widgetId`, the idempotency key. */
  eventId: string;
  kind: EventKind;
  /** `offer_click` for clicks, the event name for analytics. */
  name: string;
  category: string | null;
  sessionId: string;
  anonymousId: string | null;
  userId: string | null;
  questionId: string | null;
  offerId: string | null;
  buttonVariantId: string | null;
  /** When it happened, on the client clock (ms since the epoch). */
  ts: number;
  /** When the collector received it (ms since the epoch). */
  receivedAt: number;
  batchId: string | null;
  /** The client address, already anonymized; never the raw one. */
  ip: string | null;
  userAgent: string | null;
  properties: JsonObject | null;
  context: JsonObject | null;
}

/** What one {@link EventStore.insertEvents} call did, event ids in input order. */
export interface InsertResult {
  /** Stored by this call. */
  inserted: string[];
  /** Already stored (same widget and event id), or repeated within the call. */
  duplicates: string[];
}

/** A read of raw events of one widget, oldest first. */
export interface EventQuery {
  widgetId: string;
  kind?: EventKind;
  /**
   * Most rows returned.
   * @default 1000
   */
  limit?: number;
}

/** Storage engines the collector knows. */
export type StoreEngine = 'sqlite' | 'postgres';

/**
 * Where events (and the widget registry, the webhook outbox and conversations) are kept.
 * Implementations: SQLite and PostgreSQL; one contract test suite runs against both.
 */
export interface EventStore extends AnalyticsReader, WidgetRegistry, WebhookOutbox, ConversationStore {
  readonly engine: StoreEngine;
  /**
   * Stores rows in one transaction, all or nothing, skipping those whose (widgetId, eventId)
   * is already stored, and updates the sessions and daily counters with the stored ones in
   * the same transaction. Resolves only after the transaction has committed.
   * @throws CollectorError `STORAGE_UNAVAILABLE` when nothing could be stored.
   */
  insertEvents(rows: readonly EventRow[]): Promise<InsertResult>;
  /** Reads raw events of one widget. */
  listEvents(query: EventQuery): Promise<EventRow[]>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  /** Closes connections and files; later calls reject with `STORE_CLOSED`. Idempotent. */
  close(): Promise<void>;
}

/** Default of {@link EventQuery.limit}. */
export const DEFAULT_EVENT_QUERY_LIMIT = 1000;
