import { isPlainObject, isRecord, isStringOf } from './guards';

/** The host methods a widget may call, in protocol order. */
export const HOST_METHOD_NAMES = ['ping', 'getItem', 'setItem', 'removeItem', 'track'] as const;

/** Most events one `track` call may carry (one collector request's worth). */
export const MAX_TRACK_EVENTS = 25;

/** A client event id, as the collector accepts it (a UUIDv7 fits): the idempotency key. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * The fields of each `track` event type. For text, the longest length (the collector's
 * limits): positive = required (at least one character), negative = optional; 0 = checked
 * on its own.
 */
const TRACK_FIELDS = {
  click: { type: 0, id: 0, timestamp: 0, sessionId: 128, offerId: 128, questionId: -128, buttonVariantId: -128 },
  analytics: { type: 0, id: 0, timestamp: 0, properties: 0, sessionId: 128, name: 100, category: -64, anonymousId: -128, userId: -128 },
} as const;

/** The compact twin of `TrackEventSchema`. */
function isTrackEvent(event: unknown): boolean {
  if (!isRecord(event)) return false;
  const { type, id, timestamp, properties } = event;
  const fields: Record<string, number> | null =
    type === 'click' ? TRACK_FIELDS.click : type === 'analytics' ? TRACK_FIELDS.analytics : null;
  if (fields === null || typeof id !== 'string' || !EVENT_ID_PATTERN.test(id)) return false;
  if (!Number.isSafeInteger(timestamp) || (timestamp as number) < 0) return false;
  if (properties !== undefined && !isPlainObject(properties)) return false;
  return (
    Object.keys(event).every((key) => Object.hasOwn(fields, key)) &&
    Object.entries(fields).every(([key, max]) =>
      max > 0 ? isStringOf(event[key], 1, max) : max === 0 || event[key] === undefined || isStringOf(event[key], 0, -max),
    )
  );
}

export type HostMethodName = (typeof HOST_METHOD_NAMES)[number];

const key = (value: unknown): boolean => isStringOf(value, 1, Number.MAX_SAFE_INTEGER);

/**
 * Argument checks the host runs before a call reaches the host API (the compact twin of
 * `HOST_METHODS[m].args`). Key and value lengths are limits, answered with
 * `QUOTA_EXCEEDED` by the storage, not schema errors.
 */
export const HOST_METHOD_ARGS: Record<HostMethodName, (args: readonly unknown[]) => boolean> = {
  ping: (args) => args.length === 1 && Number.isFinite(args[0]),
  getItem: (args) => args.length === 1 && key(args[0]),
  setItem: (args) => args.length === 2 && key(args[0]) && typeof args[1] === 'string',
  removeItem: (args) => args.length === 1 && key(args[0]),
  // Array.from turns a sparse array's holes into undefined, so they are checked too.
  track: (args) =>
    args.length === 1 &&
    Array.isArray(args[0]) &&
    args[0].length > 0 &&
    args[0].length <= MAX_TRACK_EVENTS &&
    Array.from(args[0]).every(isTrackEvent),
};

/** True for the name of a host method (own names only: `__proto__`, `constructor`… are not). */
export function isHostMethodName(value: unknown): value is HostMethodName {
  return typeof value === 'string' && (HOST_METHOD_NAMES as readonly string[]).includes(value);
}
