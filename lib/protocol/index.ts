export { PROTOCOL_VERSION, MESSAGE_MARKER } from './version';
export { ErrorCode, FramewireError, isFramewireError } from './errors';
export { STORAGE_LIMITS, WIDGET_STORAGE_BUDGETS, USER_ID_KEY, storageLength, storageNamespace } from './limits';
export {
  WIDGET_ID_PATTERN,
  WIDGET_ID_INPUT_PATTERN,
  EVENT_ID_PATTERN,
  COLLECTOR_LIMITS,
  CLICK_FIELDS,
  ANALYTICS_FIELDS,
  CONTEXT_FIELDS,
  UTM_FIELDS,
  BATCH_ID_FIELD,
  isText,
  isEventId,
  isWidgetId,
  isTimestamp,
} from './collector';
export { PROPERTIES_LIMITS, FORBIDDEN_KEYS, propertiesProblem } from './properties';
export { isStorableString, storableText, utf8Length } from './storable';
export { HOST_METHOD_NAMES, HOST_METHOD_ARGS, isHostMethodName, isTrackEvent, MAX_TRACK_EVENTS } from './methods';
export { MAX_UNREAD, MAX_UNREAD_SHOWN } from './message-tables';
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
export type { BatchAnswer, BatchEnvelope, EventFailure, TextField } from './collector';
export type { PropertiesProblem, PropertiesRule } from './properties';
export type { HandshakeRequest, HandshakeAck, CallMessage, ParsedCall } from './messages';
export type { HostApi, HostMethodArgs, HostMethodResult, HostResult, TrackEvent } from './host-api';
export type { ReplyMessage } from './wire';
export type * from './analytics-api';
export {
  WIDGET_DOCUMENT_LIMITS,
  CONTENT_ID_PATTERN,
  COLOR_PATTERN,
  DEFAULT_VARIANT_ID,
  WIDGET_POSITIONS,
  DEFAULT_WIDGET_CONTENT,
  OfferVariantSchema,
  OfferSchema,
  SurveyAnswerSchema,
  SurveyQuestionSchema,
  WidgetThemeSchema,
  WidgetContentSchema,
  WidgetDocumentInputSchema,
  WidgetDocumentSchema,
  WidgetConfigSchema,
  documentProblems,
  isOrigin,
  offersOf,
} from './widget-document';
export type {
  DocumentProblem,
  Offer as WidgetOffer,
  OfferVariant,
  SurveyAnswer,
  SurveyQuestion as WidgetSurveyQuestion,
  WidgetConfig,
  WidgetContent,
  WidgetDocument,
  WidgetDocumentInput,
  WidgetList,
  WidgetTheme,
} from './widget-document';
export {
  CONVERSATION_LIMITS,
  CONVERSATION_ID_PATTERN,
  CONVERSATION_SECRET_HEADER,
  AUTHOR_HEADER,
  STREAM_HEARTBEAT_SECONDS,
  MESSAGE_AUTHORS,
  CONVERSATION_STATUSES,
  MessageTextSchema,
  StartConversationSchema,
  PostMessageSchema,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
} from './conversations';
export type {
  ConversationMessage,
  ConversationStatus,
  ConversationSummary,
  MessageAuthor,
  MessagePage,
  PostMessage,
  StartConversation,
  StartedConversation,
  StreamEvent,
  WebhookDelivery,
} from './conversations';
