import { z } from 'zod';
import { PROPERTIES_LIMITS, propertiesProblem } from '../../../lib/protocol/properties';
import type { PropertiesRule } from '../../../lib/protocol/properties';
import type { JsonObject } from '../../store';

export { PROPERTIES_LIMITS };

/** The collector's wording of each rule of the contract's `propertiesProblem`. */
const MESSAGES: Record<PropertiesRule, string> = {
  json: 'not a JSON value (properties must be a JSON object)',
  finite: 'not a finite number',
  storable: 'contains NUL or an unpaired surrogate',
  forbiddenKey: 'reserved key',
  maxKeys: `more than ${PROPERTIES_LIMITS.maxKeys} keys`,
  maxKeyLength: `keys must be 1-${PROPERTIES_LIMITS.maxKeyLength} characters`,
  maxStringLength: `longer than ${PROPERTIES_LIMITS.maxStringLength} characters`,
  maxArrayItems: `more than ${PROPERTIES_LIMITS.maxArrayItems} items`,
  maxDepth: `nested deeper than ${PROPERTIES_LIMITS.maxDepth}`,
  maxBytes: `larger than ${PROPERTIES_LIMITS.maxBytes} bytes`,
};

/**
 * A small free-form JSON object (event `properties`): plain values only, bounded in keys, depth
 * and size, and no `__proto__`/`constructor`/`prototype` keys at any depth. The rule is the
 * contract's `propertiesProblem`, which the host's `track` gate runs too.
 */
export const jsonObjectSchema = z.unknown().transform((value, ctx): JsonObject => {
  const problem = propertiesProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: MESSAGES[problem.rule], path: problem.path });
    return z.NEVER;
  }
  return value as JsonObject;
});
