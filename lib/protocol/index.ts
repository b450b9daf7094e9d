export { PROTOCOL_VERSION, MESSAGE_MARKER } from './version';
export { ErrorCode, FramewireError, isFramewireError } from './errors';
export { STORAGE_LIMITS, WIDGET_ID_PATTERN, WIDGET_STORAGE_BUDGETS, USER_ID_KEY, storageLength, storageNamespace } from './limits';
export { HOST_METHOD_NAMES, HOST_METHOD_ARGS, isHostMethodName, MAX_TRACK_EVENTS, EVENT_ID_PATTERN } from './methods';
export {
  createHandshakeRequest,
  createHandshakeAck,
  parseHandshakeRequest,
  parseCallMessage,
  NONCE_LENGTH,
  MESSAGE_ID_LENGTH,
  MAX_ARGUMENTS,
} from './messages';
export { HandshakeRequestSchema, HandshakeAckSchema } from './handshake';
export { HOST_METHODS, HostResultSchema, TrackEventSchema, TrackClickSchema, TrackAnalyticsSchema } from './host-api';
export { CallMessageSchema, ReplyMessageSchema } from './wire';
export { parseReplyMessage, isHostResult } from './reply';
export type { HostMethodName } from './methods';
export type { HandshakeRequest, HandshakeAck, CallMessage, ParsedCall } from './messages';
export type { HostApi, HostMethodArgs, HostMethodResult, HostResult, TrackEvent } from './host-api';
export type { ReplyMessage } from './wire';
