import { ANALYTICS_FIELDS, CLICK_FIELDS, isEventId, isText, isTimestamp } from './collector';
import type { TextField } from './collector';
import { isRecord, isStringOf } from './guards';
import { HOST_METHOD_NAMES, MAX_TRACK_EVENTS, MAX_UNREAD } from './message-tables';
import type { HostMethodName } from './message-tables';
import { propertiesProblem } from './properties';
import { COLOR_PATTERN, WIDGET_DOCUMENT_LIMITS, WIDGET_POSITIONS } from './widget-limits';

export { HOST_METHOD_NAMES, MAX_TRACK_EVENTS } from './message-tables';
export type { HostMethodName } from './message-tables';

export { EVENT_ID_PATTERN } from './collector';

/** What every tracked event carries besides its type's text fields. */
const COMMON_KEYS = ['type', 'id', 'timestamp'];

/**
 * The compact twin of `TrackEventSchema`, run by the host on every `track` call: a click or
 * an analytics event with only its own fields, each within the collector contract (text
 * lengths, no NUL or unpaired surrogate, `properties` per `propertiesProblem`).
 */
export function isTrackEvent(event: unknown): boolean {
  if (!isRecord(event)) return false;
  const { type, id, timestamp, properties } = event;
  const fields: Record<string, TextField> | null = type === 'click' ? CLICK_FIELDS : type === 'analytics' ? ANALYTICS_FIELDS : null;
  if (fields === null || !isEventId(id) || !isTimestamp(timestamp)) return false;
  const known = type === 'analytics' ? [...COMMON_KEYS, 'properties'] : COMMON_KEYS;
  if (!Object.keys(event).every((key) => known.includes(key) || Object.hasOwn(fields, key))) return false;
  if (properties !== undefined && propertiesProblem(properties) !== null) return false;
  return Object.entries(fields).every(([key, field]) => isText(event[key], field));
}

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
  setAppearance: (args) => args.length === 1 && isAppearance(args[0]),
  setUnread: (args) => args.length === 1 && Number.isInteger(args[0]) && (args[0] as number) >= 0 && (args[0] as number) <= MAX_UNREAD,
};

/** The compact twin of `HOST_METHODS.setAppearance`'s argument. */
function isAppearance(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { accentColor, position, launcherLabel } = value;
  return (
    Object.keys(value).length === 3 &&
    typeof accentColor === 'string' &&
    COLOR_PATTERN.test(accentColor) &&
    (WIDGET_POSITIONS as readonly unknown[]).includes(position) &&
    isText(launcherLabel, { max: WIDGET_DOCUMENT_LIMITS.launcherLabel, required: true })
  );
}

/** True for the name of a host method (own names only: `__proto__`, `constructor`… are not). */
export function isHostMethodName(value: unknown): value is HostMethodName {
  return typeof value === 'string' && (HOST_METHOD_NAMES as readonly string[]).includes(value);
}
