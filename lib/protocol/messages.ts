import { WIDGET_ID_PATTERN } from './limits';
import { hasExactKeys, isRecord, isStringOf } from './guards';
import { HOST_METHOD_ARGS, isHostMethodName } from './methods';
import type { HostMethodName } from './methods';
import { MESSAGE_MARKER, PROTOCOL_VERSION } from './version';

/** Handshake nonce length bounds. */
export const NONCE_LENGTH = { min: 8, max: 64 } as const;
/** comlink message id length bounds. */
export const MESSAGE_ID_LENGTH = { min: 1, max: 128 } as const;
/** Most arguments any host method takes. */
export const MAX_ARGUMENTS = 4;

export interface HandshakeRequest {
  [MESSAGE_MARKER]: typeof PROTOCOL_VERSION;
  type: 'handshake';
  widgetId: string;
  nonce: string;
}

export interface HandshakeAck {
  [MESSAGE_MARKER]: typeof PROTOCOL_VERSION;
  type: 'handshake-ack';
  nonce: string;
}

/** A validated call of a host method, rebuilt from scratch in comlink's wire format. */
export interface CallMessage {
  id: string;
  type: 'APPLY';
  path: [HostMethodName];
  argumentList: { type: 'RAW'; value: unknown }[];
}

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

export type ParsedCall = { ok: true; message: CallMessage } | { ok: false; id: string | null; reason: string };

/**
 * The host's parser of a message on the private port. Accepted: comlink APPLY of one
 * allowlisted method, path exactly `[method]`, plain (RAW) arguments that pass the method's
 * check. Refused: GET, SET, CONSTRUCT, ENDPOINT, RELEASE, any other path (so no
 * `__proto__`, `constructor` or `prototype`), proxies and transferred handlers.
 */
export function parseCallMessage(data: unknown): ParsedCall {
  const id = isRecord(data) && isStringOf(data.id, MESSAGE_ID_LENGTH.min, MESSAGE_ID_LENGTH.max) ? data.id : null;
  const refuse = (reason: string): ParsedCall => ({ ok: false, id, reason });
  if (id === null || !isRecord(data)) return refuse('not a call');
  if (data.type !== 'APPLY') return refuse('only method calls are allowed');
  if (!hasExactKeys(data, ['id', 'type', 'path', 'argumentList'])) return refuse('not a call');
  const { path, argumentList } = data;
  if (!Array.isArray(path) || path.length !== 1 || !isHostMethodName(path[0])) return refuse('not an allowed method');
  const method = path[0];
  if (!Array.isArray(argumentList) || argumentList.length > MAX_ARGUMENTS) return refuse('bad argument list');
  const args: unknown[] = [];
  for (const wire of argumentList) {
    if (!hasExactKeys(wire, ['type', 'value']) || wire.type !== 'RAW') return refuse('arguments must be plain values');
    args.push(wire.value);
  }
  if (!HOST_METHOD_ARGS[method](args)) return refuse(`invalid arguments for ${method}`);
  return {
    ok: true,
    message: { id, type: 'APPLY', path: [method], argumentList: args.map((value) => ({ type: 'RAW', value })) },
  };
}
