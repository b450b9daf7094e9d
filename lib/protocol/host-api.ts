import * as z from 'zod/mini';
import { ANALYTICS_FIELDS, CLICK_FIELDS, EVENT_ID_PATTERN } from './collector';
import type { TextField } from './collector';
import { ErrorCode } from './errors';
import { MAX_ERROR_MESSAGE_LENGTH, MAX_TRACK_EVENTS, MAX_UNREAD } from './message-tables';
import type { HostMethodName } from './message-tables';
import { propertiesProblem } from './properties';
import { COLOR_PATTERN, WIDGET_DOCUMENT_LIMITS, WIDGET_POSITIONS } from './widget-limits';
import { isStorableString } from './storable';

const storageKey = z.string().check(z.minLength(1));
const storable = z.refine<string>(isStorableString);

/** The schema of one text field of the contract's tables: typed by its `required`. */
type TextSchema<F extends TextField> = F['required'] extends true ? z.ZodMiniString : z.ZodMiniOptional<z.ZodMiniString>;

function textSchema<F extends TextField>(field: F): TextSchema<F> {
  const text = z.string().check(z.minLength(field.required ? 1 : 0), z.maxLength(field.max), storable);
  return (field.required ? text : z.optional(text)) as TextSchema<F>;
}

/**
 * The schemas of a table of text fields (`CLICK_FIELDS`, `ANALYTICS_FIELDS`), field by
 * field: the table is the one place a length or a `required` is written, and the host's
 * compact `isTrackEvent` reads the same table.
 */
function textSchemas<T extends Record<string, TextField>>(table: T): { [K in keyof T]: TextSchema<T[K]> } {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, field] of Object.entries(table)) shape[name] = textSchema(field);
  return shape as { [K in keyof T]: TextSchema<T[K]> };
}

/**
 * What every tracked event carries. The widget sets `id` (a UUIDv7) and `timestamp` (ms
 * since the epoch) when the event happens, so a `track` call retried after a timeout is
 * harmless: the host keeps an id once, the collector stores it once.
 */
const trackedEvent = {
  id: z.string().check(z.regex(EVENT_ID_PATTERN)),
  timestamp: z.int().check(z.minimum(0)),
};

/** An offer click; the host adds `userAgent`. Its text fields are the collector contract's `CLICK_FIELDS`. */
export const TrackClickSchema = z.strictObject({
  type: z.literal('click'),
  ...trackedEvent,
  ...textSchemas(CLICK_FIELDS),
});

/**
 * An analytics event (`widget_loaded`, `widget_opened`, `widget_closed`, `message_sent`,
 * `offer_clicked`, `error`, …); the host adds `context` (page, referrer, UTM, screen,
 * userAgent). Its text fields are the contract's `ANALYTICS_FIELDS`; `properties` follows
 * its `propertiesProblem`.
 */
export const TrackAnalyticsSchema = z.strictObject({
  type: z.literal('analytics'),
  ...trackedEvent,
  ...textSchemas(ANALYTICS_FIELDS),
  properties: z.optional(z.custom<Record<string, unknown>>((value) => propertiesProblem(value) === null)),
});

export const TrackEventSchema = z.discriminatedUnion('type', [TrackClickSchema, TrackAnalyticsSchema]);
export type TrackEvent = z.infer<typeof TrackEventSchema>;

/**
 * The host API: every method the widget may call on its host, with the schema of its
 * arguments (the specification of `HOST_METHOD_ARGS`, which the host runs) and of its
 * result (checked by the widget). Key and value lengths are limits, not schema errors: the
 * host answers them with `QUOTA_EXCEEDED`.
 */
export const HOST_METHODS = {
  /** Heartbeat: answers with the same number. */
  ping: { args: z.tuple([z.number()]), result: z.number() },
  /** Reads a key of the widget's namespace in the host's localStorage. */
  getItem: { args: z.tuple([storageKey]), result: z.nullable(z.string()) },
  /** Writes a key of the widget's namespace. */
  setItem: { args: z.tuple([storageKey, z.string()]), result: z.null() },
  /** Removes a key of the widget's namespace. */
  removeItem: { args: z.tuple([storageKey]), result: z.null() },
  /**
   * Hands events to the host's persistent queues (clicks and analytics). Answers how many
   * were new (ids already queued are not counted again); `INVALID_CONFIG` when the page set
   * no `collectorUrl`, `QUOTA_EXCEEDED` when an event is too large (nothing is queued then).
   */
  track: {
    args: z.tuple([z.array(TrackEventSchema).check(z.minLength(1), z.maxLength(MAX_TRACK_EVENTS))]),
    result: z.strictObject({ queued: z.int().check(z.minimum(0)) }),
  },
  /**
   * Applies the widget's configured theme to what the host draws: the launcher's colour and
   * accessible name (also the iframe's title) and the corner of launcher and panel.
   */
  setAppearance: {
    args: z.tuple([
      z.strictObject({
        accentColor: z.string().check(z.regex(COLOR_PATTERN)),
        position: z.enum(WIDGET_POSITIONS),
        launcherLabel: z.string().check(z.minLength(1), z.maxLength(WIDGET_DOCUMENT_LIMITS.launcherLabel), storable),
      }),
    ]),
    result: z.null(),
  },
  /**
   * The number of replies the visitor has not seen while the panel is closed: the host's
   * launcher shows it as a badge (0 hides it).
   */
  setUnread: { args: z.tuple([z.int().check(z.minimum(0), z.maximum(MAX_UNREAD))]), result: z.null() },
} as const satisfies Record<HostMethodName, { args: z.ZodMiniType; result: z.ZodMiniType }>;

export type HostMethodArgs<M extends HostMethodName> = z.infer<(typeof HOST_METHODS)[M]['args']>;
export type HostMethodResult<M extends HostMethodName> = z.infer<(typeof HOST_METHODS)[M]['result']>;

/**
 * What a host method answers. Errors travel as values, not as thrown exceptions: a thrown
 * error's message and stack could leak the host's internals across origins, so the call
 * gate answers any throw with a fixed `HOST_ERROR`.
 */
export type HostResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export const HostResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().check(z.maxLength(MAX_ERROR_MESSAGE_LENGTH)),
  }),
]);

/** The host side of the bridge: one function per method. */
export type HostApi = {
  [M in HostMethodName]: (...args: HostMethodArgs<M>) => HostResult<HostMethodResult<M>>;
};
