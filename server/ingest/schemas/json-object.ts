import { z } from 'zod';
import { propertiesProblem } from '../../../lib/protocol/properties';
import type { JsonObject } from '../../store';

export { PROPERTIES_LIMITS } from '../../../lib/protocol/properties';

/**
 * A small free-form JSON object (event `properties`): plain values only, bounded in keys, depth
 * and size, and no `__proto__`/`constructor`/`prototype` keys at any depth. The rule is the
 * contract's `propertiesProblem`, which the host's `track` gate runs too.
 */
export const jsonObjectSchema = z.unknown().transform((value, ctx): JsonObject => {
  const problem = propertiesProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    return z.NEVER;
  }
  return value as JsonObject;
});
