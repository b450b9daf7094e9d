import { isPlainObject } from './guards';
import { isStorableString, utf8Length } from './storable';

/** Limits of an analytics event's free-form `properties` object. */
export const PROPERTIES_LIMITS = {
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
} as const;

/** Keys refused at any depth: they reach an object's prototype when merged by careless code. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Which rule a `properties` value breaks: a limit of {@link PROPERTIES_LIMITS} by name, or
 * `json` (not a JSON value, or a top level that is not an object), `finite` (NaN or an
 * infinity), `storable` (NUL or an unpaired surrogate), `forbiddenKey`.
 */
export type PropertiesRule = keyof typeof PROPERTIES_LIMITS | 'json' | 'finite' | 'storable' | 'forbiddenKey';

/** What is wrong with a `properties` value, and where (keys and array indexes from the top). */
export interface PropertiesProblem {
  path: (string | number)[];
  rule: PropertiesRule;
}

// The rule, not a message: the collector words it (`describePropertiesProblem`), and the
// embed script, which only needs yes or no, does not carry the sentences. The path is built
// on the way back out, so a valid value (the common case) allocates none.
const problem = (rule: PropertiesRule, ...path: (string | number)[]): PropertiesProblem => ({ path, rule });

/** Puts `step` in front of the path of a problem found below it. */
const below = (step: string | number, found: PropertiesProblem | null): PropertiesProblem | null => {
  found?.path.unshift(step);
  return found;
};

function valueProblem(value: unknown, depth: number): PropertiesProblem | null {
  // `undefined` (only the host sees it: JSON has none) is left out by JSON.stringify, or
  // becomes null in an array, so what is sent stays valid: a widget's `{ questionId: undefined }`
  // is not worth refusing an event for.
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : problem('finite');
  if (typeof value === 'string') {
    if (value.length > PROPERTIES_LIMITS.maxStringLength) return problem('maxStringLength');
    return isStorableString(value) ? null : problem('storable');
  }
  if (depth >= PROPERTIES_LIMITS.maxDepth) return problem('maxDepth');
  if (Array.isArray(value)) {
    if (value.length > PROPERTIES_LIMITS.maxArrayItems) return problem('maxArrayItems');
    // An index loop, not forEach: a sparse array's holes are checked too (undefined, refused).
    for (let index = 0; index < value.length; index++) {
      const found = below(index, valueProblem(value[index], depth + 1));
      if (found) return found;
    }
    return null;
  }
  return isPlainObject(value) ? objectProblem(value, depth + 1) : problem('json');
}

function objectProblem(value: Record<string, unknown>, depth: number): PropertiesProblem | null {
  const keys = Object.keys(value);
  if (keys.length > PROPERTIES_LIMITS.maxKeys) return problem('maxKeys');
  for (const key of keys) {
    if (FORBIDDEN_KEYS.includes(key)) return problem('forbiddenKey', key);
    if (key.length === 0 || key.length > PROPERTIES_LIMITS.maxKeyLength) return problem('maxKeyLength', key);
    if (!isStorableString(key)) return problem('storable', key);
    const found = below(key, valueProblem(value[key], depth));
    if (found) return found;
  }
  return null;
}

/**
 * Why `value` is not an acceptable `properties` object, or `null` when it is: a plain
 * object of JSON values (null, booleans, finite numbers, storable strings, arrays, plain
 * objects; `undefined` too, which JSON.stringify leaves out) within
 * {@link PROPERTIES_LIMITS}, with no {@link FORBIDDEN_KEYS} at any depth.
 * The collector's schema and the host's `track` gate both call it.
 */
export function propertiesProblem(value: unknown): PropertiesProblem | null {
  if (!isPlainObject(value)) return problem('json');
  const found = objectProblem(value, 1);
  if (found) return found;
  return utf8Length(JSON.stringify(value)) > PROPERTIES_LIMITS.maxBytes ? problem('maxBytes') : null;
}
