import type { AnalyticsReader } from '../analytics/types';
import type { ConversationStore } from '../conversations/types';
import type { WidgetRegistry } from '../registry/types';
import type { WebhookOutbox } from '../webhooks/types';
import type { FoldResult } from './analytics/fold-queue';

export type { FoldResult };

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
  /**
   * From a bot or an automated browser, and so left out of the analytics (only counted per
   * widget and day as a bot event): the collector's verdict when it stored the event, false
   * when it keeps bots (`CollectorConfig.keepBots`). See `botVerdict`.
   */
  bot: boolean;
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
   * is already stored, and queues the stored ones for the analytics in the same transaction
   * (see {@link EventStore.advanceAnalytics}). Resolves only after the transaction has committed.
   * @throws CollectorError `STORAGE_UNAVAILABLE` when nothing could be stored.
   */
  insertEvents(rows: readonly EventRow[]): Promise<InsertResult>;
  /**
   * Folds up to `maxBatches` queued batches into sessions, visitors and the daily rollups, and
   * deletes their queue rows, in one transaction: each stored event is counted exactly once.
   * Folds run one at a time across every collector on the database (PostgreSQL: a transaction
   * advisory lock), so calling it from anywhere is safe; the analytics worker is what calls it.
   */
  advanceAnalytics(options?: { maxBatches?: number }): Promise<FoldResult>;
  /** How many stored batches the analytics have not folded in yet. */
  analyticsBacklog(): Promise<number>;
  /**
   * Tries to become the collector whose worker folds the analytics: at most one holds the lease
   * on a database at a time (PostgreSQL: a session advisory lock on a connection of its own,
   * freed by the server when that connection ends, e.g. when the process dies). Resolves with
   * `null` when another collector holds it. SQLite: always granted (one process writes a file).
   */
  acquireAnalyticsLease(): Promise<AnalyticsLease | null>;
  /** Reads raw events of one widget. */
  listEvents(query: EventQuery): Promise<EventRow[]>;
  /**
   * One page of a table's rows of one widget, for the export: rows whose time (`ts` of an
   * event, `first_ts` of a session) is in `[fromMs, toMs)`, after the keyset `after`: events
   * in the order of their id, sessions of (`first_ts`, id). Pages are read one at a time, so an export holds one page in memory.
   */
  exportRows(query: ExportQuery): Promise<ExportPage>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  /** Closes connections and files; later calls reject with `STORE_CLOSED`. Idempotent. */
  close(): Promise<void>;
}

/** The right to fold the analytics, held by one collector at a time. */
export interface AnalyticsLease {
  /** Resolves if the lease is lost (its connection ended); the holder must stop folding. */
  readonly lost: Promise<void>;
  /** Gives the lease up. Idempotent. */
  release(): Promise<void>;
}

/** Tables the export reads. */
export type ExportTable = 'events' | 'sessions';

/** Where an export page ends: the (time, id) of its last row (events page by id alone). */
export interface ExportCursor {
  time: number;
  id: string;
}

/** A read of one export page (see {@link EventStore.exportRows}). */
export interface ExportQuery {
  widgetId: string;
  table: ExportTable;
  /** First time included (ms since the epoch). */
  fromMs: number;
  /** First time excluded (ms since the epoch). */
  toMs: number;
  /** The `next` of the previous page; `null` for the first. */
  after: ExportCursor | null;
  /** Most rows of the page. */
  limit: number;
}

/** One exported row: its columns by their names in the table, as stored (JSON columns parsed). */
export type ExportRecord = { readonly [column: string]: string | number | JsonObject | null };

/** A page of an export. */
export interface ExportPage {
  rows: ExportRecord[];
  /** Where the next page starts; `null` when this page was the last. */
  next: ExportCursor | null;
}

/** Default of {@link EventQuery.limit}. */
export const DEFAULT_EVENT_QUERY_LIMIT = 1000;
