import * as z from 'zod/mini';
import { WIDGET_ID_PATTERN } from './limits';
import { NONCE_LENGTH } from './message-tables';
import { MESSAGE_MARKER, PROTOCOL_VERSION } from './version';

const nonce = z.string().check(z.minLength(NONCE_LENGTH.min), z.maxLength(NONCE_LENGTH.max));

/** Widget -> host, posted to `parent` with the host's origin as targetOrigin. */
export const HandshakeRequestSchema = z.strictObject({
  [MESSAGE_MARKER]: z.literal(PROTOCOL_VERSION),
  type: z.literal('handshake'),
  widgetId: z.string().check(z.regex(WIDGET_ID_PATTERN)),
  nonce,
});

export type HandshakeRequest = z.infer<typeof HandshakeRequestSchema>;

/** Host -> widget, posted with the widget's origin and carrying one MessagePort. */
export const HandshakeAckSchema = z.strictObject({
  [MESSAGE_MARKER]: z.literal(PROTOCOL_VERSION),
  type: z.literal('handshake-ack'),
  nonce,
});

export type HandshakeAck = z.infer<typeof HandshakeAckSchema>;
