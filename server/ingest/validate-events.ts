import type { z } from 'zod';
import { isEventId } from '../../lib/protocol/collector';
import type { EventFailure } from '../../lib/protocol/collector';
import { utf8Length } from '../../lib/protocol/storable';
import { DELIVERY_EVENT, DELIVERY_SESSION_ID } from '../../lib/protocol/delivery-health';
import { RESERVED_EVENT_SCHEMAS } from '../../lib/protocol/delivery-health-schema';
import type { EventKind, EventRow } from '../store';
import { analyticsEventSchema, clickEventSchema } from './schemas';
import type { AnalyticsEvent, ClickEvent } from './schemas';

export type { EventFailure };

/** What the collector knows about the request, stamped on every row. */
export interface IngestContext {
  widgetId: string;
  batchId: string | null;
  receivedAt: number;
  ip: string | null;
  /** The request's `User-Agent`, used when the event carries none. */
  userAgent: string | null;
  maxEventBytes: number;
  maxEventAgeMs: number;
  maxFutureSkewMs: number;
  /** Whether an event with this stored user agent is a bot event (`botVerdict`). */
  isBot: (userAgent: string | null) => boolean;
}

/** The outcome of validating a batch, in input order. */
export interface ValidatedBatch {
  rows: EventRow[];
  failed: EventFailure[];
  /** Ids repeated within the batch after their first valid occurrence. */
  repeated: string[];
}

function usableId(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return isEventId(id) ? id : null;
}

function invalidReason(error: z.ZodError): string {
  const path = error.issues[0]?.path.map(String).join('.') ?? '';
  return path === '' ? 'invalid: event' : `invalid: ${path}`;
}

/** A `$delivery` event comes without a session id (the host page has none): it gets the reserved one. */
function withReservedSession(raw: unknown): unknown {
  const event = raw as { name?: unknown; sessionId?: unknown };
  return event.name === DELIVERY_EVENT && event.sessionId === undefined ? { ...event, sessionId: DELIVERY_SESSION_ID } : raw;
}

/**
 * A reserved event (`$delivery`, `$bridge`): its properties as its schema wants them (see
 * `delivery-health-schema.ts`). The answer is the parsed properties, or the reason to refuse
 * the event.
 */
function reservedProperties(event: AnalyticsEvent, schema: z.ZodType): { properties: Record<string, unknown> } | { reason: string } {
  const parsed = schema.safeParse(event.properties ?? {});
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    return { reason: path === '' ? 'invalid: properties' : `invalid: properties.${path}` };
  }
  return { properties: parsed.data as Record<string, unknown> };
}

function clickRow(event: ClickEvent, ctx: IngestContext): EventRow {
  const userAgent = event.userAgent ?? ctx.userAgent;
  return {
    widgetId: ctx.widgetId,
    eventId: event.id,
    kind: 'click',
    name: 'offer_click',
    category: null,
    sessionId: event.sessionId,
    anonymousId: null,
    userId: null,
    questionId: event.questionId,
    offerId: event.offerId,
    buttonVariantId: event.buttonVariantId,
    ts: event.timestamp,
    receivedAt: ctx.receivedAt,
    batchId: ctx.batchId,
    ip: ctx.ip,
    userAgent,
    properties: null,
    context: null,
    bot: ctx.isBot(userAgent),
  };
}

function analyticsRow(event: AnalyticsEvent, ctx: IngestContext): EventRow {
  const userAgent = event.context?.userAgent ?? ctx.userAgent;
  return {
    widgetId: ctx.widgetId,
    eventId: event.id,
    kind: 'analytics',
    name: event.name,
    category: event.category,
    sessionId: event.sessionId,
    anonymousId: event.anonymousId,
    userId: event.userId,
    questionId: null,
    offerId: null,
    buttonVariantId: null,
    ts: event.timestamp,
    receivedAt: ctx.receivedAt,
    batchId: ctx.batchId,
    ip: ctx.ip,
    userAgent,
    properties: event.properties,
    context: event.context,
    bot: ctx.isBot(userAgent),
  };
}

/**
 * Validates each event of a batch on its own.
 *
 * 1. No usable `id` → failed as `#<index>`, `invalid: id`.
 * 2. Compact JSON over `maxEventBytes` UTF-8 bytes → `too_large` (checked before the schema: cheap and bounded).
 * 3. Schema → `invalid: <first bad field path>`. A reserved analytics event (`$delivery`,
 *    `$bridge`) must also have the properties of its schema, else `invalid: properties.<key>`;
 *    any other name starting with `$` → `invalid: name`.
 * 4. `timestamp` older than `maxEventAgeMs` → `too_old`; beyond `maxFutureSkewMs` → `in_future`.
 * 5. An id seen earlier in the same batch → repeated (answered as a duplicate, stored once).
 * Each row stores the event's own user agent, else the request's, and `ctx.isBot`'s verdict on it.
 */
export function validateEvents(kind: EventKind, events: readonly unknown[], ctx: IngestContext): ValidatedBatch {
  const result: ValidatedBatch = { rows: [], failed: [], repeated: [] };
  const seen = new Set<string>();
  events.forEach((raw, index) => {
    const id = usableId(raw);
    if (id === null) {
      result.failed.push({ id: `#${index}`, reason: 'invalid: id' });
      return;
    }
    if (utf8Length(JSON.stringify(raw)) > ctx.maxEventBytes) {
      result.failed.push({ id, reason: 'too_large' });
      return;
    }
    const parsed = kind === 'click' ? clickEventSchema.safeParse(raw) : analyticsEventSchema.safeParse(withReservedSession(raw));
    if (!parsed.success) {
      result.failed.push({ id, reason: invalidReason(parsed.error) });
      return;
    }
    // Other names, `$` ones included, are ordinary events: the embed's `track` accepts them,
    // so the collector does (the contract in lib/protocol/collector.ts).
    const name = (parsed.data as AnalyticsEvent).name;
    // Own keys only: `constructor` or `toString` are ordinary names too.
    const reservedSchema = kind === 'analytics' && Object.hasOwn(RESERVED_EVENT_SCHEMAS, name) ? RESERVED_EVENT_SCHEMAS[name] : undefined;
    if (reservedSchema !== undefined) {
      const reserved = reservedProperties(parsed.data as AnalyticsEvent, reservedSchema);
      if ('reason' in reserved) {
        result.failed.push({ id, reason: reserved.reason });
        return;
      }
      (parsed.data as AnalyticsEvent).properties = reserved.properties as AnalyticsEvent['properties'];
    }
    const ts = parsed.data.timestamp;
    if (ts < ctx.receivedAt - ctx.maxEventAgeMs) {
      result.failed.push({ id, reason: 'too_old' });
      return;
    }
    if (ts > ctx.receivedAt + ctx.maxFutureSkewMs) {
      result.failed.push({ id, reason: 'in_future' });
      return;
    }
    if (seen.has(id)) {
      result.repeated.push(id);
      return;
    }
    seen.add(id);
    result.rows.push(kind === 'click' ? clickRow(parsed.data as ClickEvent, ctx) : analyticsRow(parsed.data as AnalyticsEvent, ctx));
  });
  return result;
}
