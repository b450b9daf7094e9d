import { hasExactKeys, isStringOf } from './guards';
import { HOST_METHODS } from './host-api';
import { MESSAGE_ID_LENGTH } from './message-tables';
import type { HostMethodName } from './message-tables';
import { ReplyMessageSchema } from './wire';
import type { ReplyMessage } from './wire';

/*
 * The widget's checks of what the host answers. Every reply goes through them; the zod
 * schemas are the specification. The common case (a successful answer of the usual shape)
 * is recognised by a few plain comparisons, which accept a strict subset of what the
 * schemas accept; everything else (errors, odd shapes) goes to zod, which decides.
 */

const REPLY_KEYS = ['id', 'type', 'value'];
const OK_KEYS = ['ok', 'value'];

/** `{ id, type: 'RAW', value: { ok: true, value } }`, exactly. */
const isOkReply = (data: unknown): data is ReplyMessage =>
  hasExactKeys(data, REPLY_KEYS) &&
  data.type === 'RAW' &&
  isStringOf(data.id, MESSAGE_ID_LENGTH.min, MESSAGE_ID_LENGTH.max) &&
  hasExactKeys(data.value, OK_KEYS) &&
  data.value.ok === true;

/** A reply from the host (`ReplyMessageSchema`), or `null` for anything else. */
export function parseReplyMessage(data: unknown): ReplyMessage | null {
  if (isOkReply(data)) return data;
  const reply = ReplyMessageSchema.safeParse(data);
  return reply.success ? reply.data : null;
}

/** The result values of the frequent methods, by plain comparisons (`track` goes to zod). */
const RESULT_FAST: Partial<Record<HostMethodName, (value: unknown) => boolean>> = {
  ping: (value) => Number.isFinite(value),
  getItem: (value) => value === null || typeof value === 'string',
  setItem: (value) => value === null,
  removeItem: (value) => value === null,
};

/** Whether `value` is a valid result of `method` (`HOST_METHODS[method].result`). */
export function isHostResult(method: HostMethodName, value: unknown): boolean {
  return RESULT_FAST[method]?.(value) === true || HOST_METHODS[method].result.safeParse(value).success;
}
