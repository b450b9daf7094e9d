import { z } from 'zod';
import { CLICK_FIELDS, CONTEXT_FIELDS } from '../../../lib/protocol/collector';
import { eventIdSchema, optionalText, requiredText, timestampSchema } from './safe-string';

/** One offer click, as the embed script sends it. Unknown fields are ignored. */
export const clickEventSchema = z.object({
  id: eventIdSchema,
  sessionId: requiredText(CLICK_FIELDS.sessionId),
  offerId: requiredText(CLICK_FIELDS.offerId),
  questionId: optionalText(CLICK_FIELDS.questionId),
  buttonVariantId: optionalText(CLICK_FIELDS.buttonVariantId),
  timestamp: timestampSchema,
  userAgent: optionalText(CONTEXT_FIELDS.userAgent),
});

/** A click event after validation. */
export type ClickEvent = z.output<typeof clickEventSchema>;
