import { isStorableString, utf8Length } from './storable';

/** Limits of an analytics event's free-form `properties` object. */
export const PROPERTIES_LIMITS = Object.freeze({
  /** Keys per object, at any depth. */
  maxKeys: 50,
  /** Length of a key (UTF-16 code units); at least 1. */
  maxKeyLength: 64,
  /** Length of a string value (UTF-16 code units). */
  maxStringLength: 1024,
  /** Items per array. */
  maxArrayItems: 50,
  /** Nesting depth (the top object is depth 1). */
  maxDepth: 4,
  /** Compact JSON (`JSON.stringify`) size in UTF-8 bytes. */
  maxBytes: 4096,
});

/** Keys refused at any depth: they reach an object's prototype when merged by careless code. */
export const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

/** What is wrong with a `properties` value, and where (keys and array indexes from the top). */
export interface PropertiesProblem {
  path: (string | number)[];
  message: string;
}

const problem = (path: (string | number)[], message: string): PropertiesProblem => ({ path, message });

/** A record made by an object literal, `JSON.parse` or structured cloning: no class instance. */
const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

function valueProblem(value: unknown, path: (string | number)[], depth: number): PropertiesProblem | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : problem(path, 'not a finite number');
  if (typeof value === 'string') {
    if (value.length > PROPERTIES_LIMITS.maxStringLength) return problem(path, `longer than ${PROPERTIES_LIMITS.maxStringLength} characters`);
    return isStorableString(value) ? null : problem(path, 'contains NUL or an unpaired surrogate');
  }
  if (depth >= PROPERTIES_LIMITS.maxDepth) return problem(path, `nested deeper than ${PROPERTIES_LIMITS.maxDepth}`);
  if (Array.isArray(value)) {
    if (value.length > PROPERTIES_LIMITS.maxArrayItems) return problem(path, `more than ${PROPERTIES_LIMITS.maxArrayItems} items`);
    // An index loop, not forEach: a sparse array's holes are checked too (undefined, refused).
    for (let index = 0; index < value.length; index++) {
      const found = valueProblem(value[index], [...path, index], depth + 1);
      if (found) return found;
    }
    return null;
  }
  return isPlainRecord(value) ? objectProblem(value, path, depth + 1) : problem(path, 'not a JSON value');
}

function objectProblem(value: Record<string, unknown>, path: (string | number)[], depth: number): PropertiesProblem | null {
  const keys = Object.keys(value);
  if (keys.length > PROPERTIES_LIMITS.maxKeys) return problem(path, `more than ${PROPERTIES_LIMITS.maxKeys} keys`);
  for (const key of keys) {
    if (FORBIDDEN_KEYS.includes(key)) return problem([...path, key], 'reserved key');
    if (key.length === 0 || key.length > PROPERTIES_LIMITS.maxKeyLength || !isStorableString(key)) {
      return problem([...path, key], `keys must be 1-${PROPERTIES_LIMITS.maxKeyLength} storable characters`);
    }
    const found = valueProblem(value[key], [...path, key], depth);
    if (found) return found;
  }
  return null;
}

/**
 * Why `value` is not an acceptable `properties` object, or `null` when it is: a plain
 * object of JSON values (null, booleans, finite numbers, storable strings, arrays, plain
 * objects) within {@link PROPERTIES_LIMITS}, with no {@link FORBIDDEN_KEYS} at any depth.
 * The collector's schema and the host's `track` gate both call it.
 */
export function propertiesProblem(value: unknown): PropertiesProblem | null {
  if (!isPlainRecord(value)) return problem([], 'must be a JSON object');
  const found = objectProblem(value, [], 1);
  if (found) return found;
  return utf8Length(JSON.stringify(value)) > PROPERTIES_LIMITS.maxBytes ? problem([], `larger than ${PROPERTIES_LIMITS.maxBytes} bytes`) : null;
}
