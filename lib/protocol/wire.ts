import * as z from 'zod/mini';
import { HostResultSchema } from './host-api';
import { HOST_METHOD_NAMES, MAX_ARGUMENTS, MESSAGE_ID_LENGTH } from './message-tables';

/*
 * The subset of comlink's wire protocol framewire speaks. comlink's own `expose` would also
 * accept GET, SET, CONSTRUCT, ENDPOINT and RELEASE and walk any property path, `__proto__`
 * included.
 */

const messageId = z.string().check(z.minLength(MESSAGE_ID_LENGTH.min), z.maxLength(MESSAGE_ID_LENGTH.max));

/** Widget -> host over the private port: one call (specification of `parseCallMessage`). */
export const CallMessageSchema = z.strictObject({
  id: messageId,
  type: z.literal('APPLY'),
  path: z.tuple([z.enum(HOST_METHOD_NAMES)]),
  argumentList: z
    .array(z.strictObject({ type: z.literal('RAW'), value: z.unknown() }))
    .check(z.maxLength(MAX_ARGUMENTS)),
});

/** Host -> widget over the private port: the answer to one call. */
export const ReplyMessageSchema = z.strictObject({
  id: messageId,
  type: z.literal('RAW'),
  value: HostResultSchema,
});

/** A call of a host method as it travels on the port: comlink's `APPLY` message. */
export type CallMessage = z.infer<typeof CallMessageSchema>;

export type ReplyMessage = z.infer<typeof ReplyMessageSchema>;
