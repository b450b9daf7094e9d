import { z } from 'zod';
import { safeString, widgetIdSchema } from './safe-string';

/**
 * The batch envelope. `events` is only checked to be an array here: each event is validated on
 * its own so that one bad event never sinks its neighbours. Unknown fields are ignored.
 */
export const batchEnvelopeSchema = z.object({
  widgetId: widgetIdSchema,
  batchId: safeString(128).nullish(),
  events: z.array(z.unknown()),
});

/** A batch envelope after validation. */
export type BatchEnvelope = z.output<typeof batchEnvelopeSchema>;
