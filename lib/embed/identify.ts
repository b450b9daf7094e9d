import { ErrorCode, FramewireError } from '../protocol/errors';
import { ANALYTICS_FIELDS, isText } from '../protocol/collector';
import { isPlainObject, isStringOf } from '../protocol/guards';
import { SESSION_ID_KEY, USER_ID_KEY } from '../protocol/limits';
import { propertiesProblem } from '../protocol/properties';
import { uuidv7 } from '../util/ids';
import type { Logger } from '../util/logger';
import type { NamespacedStorage } from './namespaced-storage';
import type { Track } from './track';

/** Traits of an identified user: at most 20 flat, plain values. */
export type Traits = Record<string, string | number | boolean | null>;

/** Longest user id (the collector contract's `ANALYTICS_FIELDS.userId`). */
export const MAX_USER_ID_LENGTH = ANALYTICS_FIELDS.userId.max;

/** Identify's own bounds on traits, within the contract's rules for `properties`. */
const MAX_TRAITS = 20;
const MAX_TRAIT_LENGTH = 256;

/** A user id as the collector stores it: 1–128 characters, no NUL or unpaired surrogate. */
const isUserId = (value: unknown): value is string => value !== '' && typeof value === 'string' && isText(value, ANALYTICS_FIELDS.userId);

const isTraitValue = (value: unknown): boolean =>
  value === null || typeof value === 'boolean' || Number.isFinite(value) || isStringOf(value, 0, MAX_TRAIT_LENGTH);

/**
 * Checks `identify`'s arguments: `userId` 1–128 characters (no NUL or unpaired surrogate)
 * or `null`; `traits` absent, or a plain object of at most 20 names with strings of at
 * most 256 characters, finite numbers, booleans or `null`, that is also valid `properties`
 * by the collector contract (names 1–64 characters, not `__proto__`, `constructor`,
 * `prototype`, no NUL or unpaired surrogate, 4096 bytes as JSON at most). Returns a copy
 * of the traits, so the page cannot change them afterwards.
 * @throws FramewireError `INVALID_CONFIG` saying what is wrong.
 */
export function parseIdentify(userId: unknown, traits?: unknown): Traits | undefined {
  const fail = (message: string): never => {
    throw new FramewireError(ErrorCode.INVALID_CONFIG, `identify: ${message}`);
  };
  if (userId !== null && !isUserId(userId)) fail(`userId must be 1-${MAX_USER_ID_LENGTH} characters or null`);
  if (traits === undefined) return;
  const entries = isPlainObject(traits) ? Object.entries(traits) : [];
  const copy = Object.fromEntries(entries) as Traits;
  const valid = isPlainObject(traits) && entries.length <= MAX_TRAITS && entries.every(([, value]) => isTraitValue(value));
  if (!valid || propertiesProblem(copy) !== null) {
    fail(
      `traits must be an object of up to ${MAX_TRAITS} names with strings (up to ${MAX_TRAIT_LENGTH} characters), numbers, booleans or null`,
    );
  }
  return copy;
}

/**
 * The user id analytics events carry: the one `identify` stored, if it is a valid id (the
 * widget shares the namespace and could have written anything there).
 */
export function storedUserId(storage: Pick<NamespacedStorage, 'getItem'>): string | null {
  const userId = storage.getItem(USER_ID_KEY);
  return isUserId(userId) ? userId : null;
}

/**
 * The visitor's id, `framewire:<widgetId>:session_id`, made and stored here when there is none
 * (or one the collector would refuse: the widget shares the namespace). The embed calls it at
 * `init`, before the widget can ask for it, so the widget and `identify` find the same id: if
 * each made its own, the widget's read, `identify`'s write and the widget's write could
 * interleave and leave `identify`'s event under an id nobody keeps. Never throws: with the
 * host's storage full the id is not kept, and `init` goes on.
 */
export function visitorId(storage: Pick<NamespacedStorage, 'getItem' | 'setItem'>): string {
  const stored = storage.getItem(SESSION_ID_KEY);
  const sessionId = stored !== null && isText(stored, ANALYTICS_FIELDS.sessionId) ? stored : uuidv7();
  try {
    if (sessionId !== stored) storage.setItem(SESSION_ID_KEY, sessionId);
  } catch {
    // The host's storage is full: the id serves this call, and the widget makes one as it can.
  }
  return sessionId;
}

/**
 * `framewire('identify', userId, traits?)`.
 *
 * 1. Check the arguments (see {@link parseIdentify}); a bad call changes nothing.
 * 2. Store the id under `framewire:<widgetId>:user_id` in the host's localStorage (so it
 *    survives reloads), or remove it for `null`. From then on `track` adds it to every
 *    analytics event as `userId`.
 * 3. With traits, queue one analytics event `identify` (category `identity`, the traits as
 *    `properties`) for the visitor's id (see {@link visitorId}).
 */
export function identify(storage: NamespacedStorage, track: Track, log: Logger, userId: unknown, traits?: unknown): void {
  const properties = parseIdentify(userId, traits);
  if (userId === null) storage.removeItem(USER_ID_KEY);
  else storage.setItem(USER_ID_KEY, userId as string);
  if (!properties) return;
  const sessionId = visitorId(storage);
  const timestamp = Date.now();
  const result = track([{ type: 'analytics', id: uuidv7(timestamp), timestamp, sessionId, name: 'identify', category: 'identity', properties }]);
  if (!result.ok) log(`identify: ${result.message}`);
}
