import { z } from 'zod';
import { BATCH_ID_FIELD } from '../../../lib/protocol/collector';
import { safeString, widgetIdSchema } from './safe-string';

/**
 * The batch envelope (the contract's `BatchEnvelope`). `events` is only checked to be an array
 * here: each event is validated on its own so that one bad event never sinks its neighbours.
 * Unknown fields are ignored.
 */
export const batchEnvelopeSchema = z.object({
  widgetId: widgetIdSchema,
  batchId: safeString(BATCH_ID_FIELD.max).nullish(),
  /** The embed sends `true` or nothing; `false` (another client's way to say no) is accepted too. */
  automated: z.boolean().nullish(),
  events: z.array(z.unknown()),
});

/** A batch envelope after validation. */
export type BatchEnvelope = z.output<typeof batchEnvelopeSchema>;
