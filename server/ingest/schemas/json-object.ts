import { z } from 'zod';
import { isStorableString } from './safe-string';
import type { JsonObject } from '../../store';

/** Limits of a free-form `properties` object. */
export const PROPERTIES_LIMITS = Object.freeze({
  /** Keys per object. */
  maxKeys: 50,
  /** Characters per key. */
  maxKeyLength: 64,
  /** Characters per string value. */
  maxStringLength: 1024,
  /** Items per array. */
  maxArrayItems: 50,
  /** Nesting depth (the top object is depth 1). */
  maxDepth: 4,
  /** Compact JSON size in UTF-8 bytes. */
  maxBytes: 4096,
});

/** Keys that would reach an object's prototype when merged by careless code downstream. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Problem = { path: (string | number)[]; message: string };

function check(value: unknown, path: (string | number)[], depth: number): Problem | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, message: 'not a finite number' };
  if (typeof value === 'string') {
    if (value.length > PROPERTIES_LIMITS.maxStringLength) return { path, message: `longer than ${PROPERTIES_LIMITS.maxStringLength} characters` };
    return isStorableString(value) ? null : { path, message: 'contains NUL or an unpaired surrogate' };
  }
  if (depth >= PROPERTIES_LIMITS.maxDepth) return { path, message: `nested deeper than ${PROPERTIES_LIMITS.maxDepth}` };
  if (Array.isArray(value)) {
    if (value.length > PROPERTIES_LIMITS.maxArrayItems) return { path, message: `more than ${PROPERTIES_LIMITS.maxArrayItems} items` };
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], [...path, i], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return checkObject(value as Record<string, unknown>, path, depth + 1);
  return { path, message: 'not a JSON value' };
}

function checkObject(value: Record<string, unknown>, path: (string | number)[], depth: number): Problem | null {
  const keys = Object.keys(value);
  if (keys.length > PROPERTIES_LIMITS.maxKeys) return { path, message: `more than ${PROPERTIES_LIMITS.maxKeys} keys` };
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key], message: 'reserved key' };
    if (key.length === 0 || key.length > PROPERTIES_LIMITS.maxKeyLength || !isStorableString(key)) {
      return { path: [...path, key], message: `keys must be 1-${PROPERTIES_LIMITS.maxKeyLength} storable characters` };
    }
    const problem = check(value[key], [...path, key], depth);
    if (problem) return problem;
  }
  return null;
}

/**
 * A small free-form JSON object (event `properties`): plain values only, bounded in keys, depth
 * and size, and no `__proto__`/`constructor`/`prototype` keys at any depth.
 */
export const jsonObjectSchema = z.unknown().transform((value, ctx): JsonObject => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }
  const problem = check(value, [], 0);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    return z.NEVER;
  }
  if (Buffer.byteLength(JSON.stringify(value)) > PROPERTIES_LIMITS.maxBytes) {
    ctx.addIssue({ code: 'custom', message: `larger than ${PROPERTIES_LIMITS.maxBytes} bytes` });
    return z.NEVER;
  }
  return value as JsonObject;
});
