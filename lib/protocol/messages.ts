import { WIDGET_ID_PATTERN } from './limits';
import { hasExactKeys, isRecord, isStringOf } from './guards';
import type { PlainRecord } from './guards';
import type { HandshakeAck, HandshakeRequest } from './handshake';
import { MAX_ARGUMENTS, MESSAGE_ID_LENGTH, NONCE_LENGTH } from './message-tables';
import type { HostMethodName } from './message-tables';
import { HOST_METHOD_ARGS, isHostMethodName } from './methods';
import { MESSAGE_MARKER, PROTOCOL_VERSION } from './version';

/*
 * The host's compact readings of the bridge messages, where zod would not fit the embed
 * script's budget. They check what the schemas of `handshake.ts` and `wire.ts` specify, with
 * the numbers of `message-tables.ts`; unit tests check that both accept exactly the same.
 */

export { NONCE_LENGTH, MESSAGE_ID_LENGTH, MAX_ARGUMENTS } from './message-tables';
export type { HandshakeRequest, HandshakeAck } from './handshake';
export type { CallMessage } from './wire';

export function createHandshakeRequest(widgetId: string, nonce: string): HandshakeRequest {
  return { [MESSAGE_MARKER]: PROTOCOL_VERSION, type: 'handshake', widgetId, nonce };
}

export function createHandshakeAck(nonce: string): HandshakeAck {
  return { [MESSAGE_MARKER]: PROTOCOL_VERSION, type: 'handshake-ack', nonce };
}

/** The host's parser of a handshake; `null` for anything else. */
export function parseHandshakeRequest(data: unknown): HandshakeRequest | null {
  if (!hasExactKeys(data, [MESSAGE_MARKER, 'type', 'widgetId', 'nonce'])) return null;
  const { widgetId, nonce } = data;
  if (data[MESSAGE_MARKER] !== PROTOCOL_VERSION || data.type !== 'handshake') return null;
  if (typeof widgetId !== 'string' || !WIDGET_ID_PATTERN.test(widgetId)) return null;
  if (!isStringOf(nonce, NONCE_LENGTH.min, NONCE_LENGTH.max)) return null;
  return createHandshakeRequest(widgetId, nonce);
}

/** A call the host may run: its id, method and plain argument values; or why it may not. */
export type ParsedCall =
  | { ok: true; id: string; method: HostMethodName; args: unknown[] }
  | { ok: false; id: string | null; reason: string };

const CALL_KEYS = ['id', 'type', 'path', 'argumentList'];
const WIRE_KEYS = ['type', 'value'];
const refuse = (id: string | null, reason: string): ParsedCall => ({ ok: false, id, reason });

/**
 * The host's parser of a message on the private port. Accepted: a {@link CallMessage}
 * (comlink APPLY) of one allowlisted method, path exactly `[method]`, plain (RAW) arguments
 * that pass the method's check. Refused: GET, SET, CONSTRUCT, ENDPOINT, RELEASE, any other
 * path (so no `__proto__`, `constructor` or `prototype`), proxies and transferred handlers.
 * What comes out is the method's name from the allowlist and the argument values, never the
 * sender's objects.
 */
export function parseCallMessage(data: unknown): ParsedCall {
  const id = isRecord(data) && isStringOf(data.id, MESSAGE_ID_LENGTH.min, MESSAGE_ID_LENGTH.max) ? data.id : null;
  if (id === null) return refuse(id, 'not a call');
  const { type, path, argumentList } = data as PlainRecord;
  if (type !== 'APPLY') return refuse(id, 'only method calls are allowed');
  if (!hasExactKeys(data, CALL_KEYS)) return refuse(id, 'not a call');
  if (!Array.isArray(path) || path.length !== 1 || !isHostMethodName(path[0])) return refuse(id, 'not an allowed method');
  const method = path[0];
  if (!Array.isArray(argumentList) || argumentList.length > MAX_ARGUMENTS) return refuse(id, 'bad argument list');
  const args: unknown[] = [];
  // for…of visits a sparse array's holes too (as undefined, refused).
  for (const wire of argumentList) {
    if (!hasExactKeys(wire, WIRE_KEYS) || wire.type !== 'RAW') return refuse(id, 'arguments must be plain values');
    args.push(wire.value);
  }
  return HOST_METHOD_ARGS[method](args) ? { ok: true, id, method, args } : refuse(id, `invalid arguments for ${method}`);
}
