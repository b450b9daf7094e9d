import { isStorableString } from './storable';

/*
 * The contract between the embed script and the collector: everything both sides must
 * agree on for an event the embed accepts to be accepted by the collector. The embed's
 * config check, the host's `track` gate, `createTrack`, the host queues and the
 * collector's schemas all import it; no limit is written anywhere else.
 *
 * Units: lengths of text fields in UTF-16 code units (JavaScript `length`, what both sides
 * count); sizes of events and requests in UTF-8 bytes of their compact JSON.
 */

/**
 * The widget id rule as an HTML `pattern` attribute (which the browser anchors, and reads
 * with the `v` flag: hence `\-`).
 */
export const WIDGET_ID_INPUT_PATTERN = '[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}';

/**
 * A widget id: 1–64 characters of `A-Z a-z 0-9 _ -`, starting with a letter or digit. No
 * `.` or `:` (`:` ends the `framewire:<widgetId>:` storage prefix), and safe in URLs.
 */
export const WIDGET_ID_PATTERN = new RegExp(`^${WIDGET_ID_INPUT_PATTERN}$`);

/** A client event id (the idempotency key; a UUIDv7 fits): 1–64 characters of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The collector's limits per request, at its defaults; the embed keeps within them. */
export const COLLECTOR_LIMITS = {
  /** Events in one batch request (and in one `track` call). */
  maxEventsPerRequest: 25,
  /** A request body, in UTF-8 bytes (64 KB). */
  maxRequestBytes: 64 * 1024,
  /** One event as compact JSON, in UTF-8 bytes, with what the host adds (8 KB). */
  maxEventBytes: 8 * 1024,
} as const;

/** A text field of an event: its longest length (UTF-16 code units) and whether it must be there. */
export interface TextField {
  readonly max: number;
  /** Required: present and at least one character. Optional: absent (or, at the collector, `null`) or up to `max`. */
  readonly required: boolean;
}

// Plain objects typed read-only: Object.freeze would keep every table in the embed script
// even where unused (the minifier cannot drop a call it does not know to be pure).
const required = (max: number) => ({ max, required: true as const });
const optional = (max: number) => ({ max, required: false as const });

/** Longest ids of sessions, visitors, users, offers, questions, variants and batches. */
const ID_LENGTH = 128;

/** The text fields of a click, as the widget sends them in `track`. */
export const CLICK_FIELDS = {
  sessionId: required(ID_LENGTH),
  offerId: required(ID_LENGTH),
  questionId: optional(ID_LENGTH),
  buttonVariantId: optional(ID_LENGTH),
} as const;

/** What the page adds to an analytics event's `context`, and to a click (`userAgent`). */
export const CONTEXT_FIELDS = {
  page: optional(2048),
  referrer: optional(2048),
  screen: optional(32),
  userAgent: optional(1024),
  locale: optional(35),
  timezone: optional(64),
} as const;

/** The `utm_*` parameters of the page's URL, in `context.utm`. */
export const UTM_FIELDS = {
  source: optional(256),
  medium: optional(256),
  campaign: optional(256),
  term: optional(256),
  content: optional(256),
} as const;

/** The text fields of an analytics event (besides `properties` and `context`). */
export const ANALYTICS_FIELDS = {
  name: required(100),
  category: optional(64),
  sessionId: required(ID_LENGTH),
  anonymousId: optional(ID_LENGTH),
  userId: optional(ID_LENGTH),
} as const;

/** The envelope's optional `batchId`. */
export const BATCH_ID_FIELD = { max: ID_LENGTH, required: false } as const;

/** True for `undefined` where the field is optional, or a storable string of the field's length. */
export function isText(value: unknown, field: TextField): boolean {
  if (value === undefined) return !field.required;
  return typeof value === 'string' && value.length >= (field.required ? 1 : 0) && value.length <= field.max && isStorableString(value);
}

/** True for a valid client event id. */
export const isEventId = (value: unknown): value is string => typeof value === 'string' && EVENT_ID_PATTERN.test(value);

/** True for a valid widget id. */
export const isWidgetId = (value: unknown): value is string => typeof value === 'string' && WIDGET_ID_PATTERN.test(value);

/** An event's `timestamp`: whole milliseconds since the epoch, 0 to `Number.MAX_SAFE_INTEGER`. */
export const isTimestamp = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The body of a batch request (`POST /api/track/click/batch`, `POST /api/analytics/events/batch`). */
export interface BatchEnvelope<Event = unknown> {
  widgetId: string;
  /** Optional, for logs: up to 128 characters. */
  batchId?: string | null;
  /**
   * `true` when the sending page runs in an automated browser (`navigator.webdriver`: a
   * browser driven by WebDriver, Playwright, Puppeteer and the like); absent otherwise (the
   * embed sends `undefined`, which JSON leaves out). The collector counts such a batch's events
   * as bot events: stored, but left out of the analytics unless it keeps bots.
   */
  automated?: true | undefined;
  /** At most `COLLECTOR_LIMITS.maxEventsPerRequest`, each checked on its own. */
  events: Event[];
}

/** `EventFailure`, `BatchAnswer`: the answers of a batch request (types only here: the embed carries no zod). */
export type { BatchAnswer, EventFailure } from './collector-answers';

/**
 * The `error` of the 403 the collector answers when a registered widget's events come from
 * a page origin outside its `allowedOrigins`. The host queue drops the batch on exactly this
 * answer (a configuration refusal, not a fault to retry); any other 403 is retried.
 */
export const ORIGIN_REFUSAL_ERROR = 'origin_not_allowed';

/**
 * The `error` of the 403 the collector answers for an unregistered widget while it requires
 * registration (`FRAMEWIRE_REQUIRE_REGISTRATION`).
 */
export const UNREGISTERED_REFUSAL_ERROR = 'widget_not_registered';

/** `Cache-Control` of `GET /api/widgets/:widgetId/config`: fresh for a minute, then served stale while revalidated for a day. */
export const WIDGET_CONFIG_CACHE = { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 86_400 } as const;

/**
 * The analytics event the widget records once per offer per page view, when the open panel
 * shows the offer; its `properties` carry `offerId`, `questionId` and `buttonVariantId`.
 * With the click stream it makes the offers report (shown, clicked, click-through rate).
 */
export const OFFER_SHOWN_EVENT = 'offer_shown';
