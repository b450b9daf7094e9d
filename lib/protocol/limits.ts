/**
 * The one unit every storage limit counts in, on both sides of the bridge: UTF-16 code units
 * (JavaScript string length), the unit browsers count localStorage quota in. The host
 * measures what it is asked to store with it; the widget measures what it is about to send.
 */
export function storageLength(text: string): number {
  return text.length;
}

/**
 * Limits on what a widget may keep in its host's localStorage, in {@link storageLength}
 * units. The host refuses a write over a limit with `QUOTA_EXCEEDED` and keeps the old value.
 */
export const STORAGE_LIMITS = {
  /** Longest key a widget may use, without the namespace prefix. */
  maxKeyLength: 128,
  /** Longest value of one key (64 K units). */
  maxValueLength: 64 * 1024,
  /** Most a widget may keep in all its keys together, keys and values counted (512 K units). */
  maxTotalLength: 512 * 1024,
} as const;

/**
 * What the widget lets each value it keeps in host storage grow to, in {@link storageLength}
 * units. Each is at most `maxValueLength`, and all of them together take at most a quarter of
 * `maxTotalLength`: the rest is headroom for keys a widget adds later, so no value the widget
 * writes is ever refused for the total.
 */
export const WIDGET_STORAGE_BUDGETS = {
  /** The conversation (JSON): the newest messages that fit, up to the per-value limit (64 K units). */
  conversation: STORAGE_LIMITS.maxValueLength,
  /** The visitor's session id: a UUIDv7 (36 units); a stored id longer than this is replaced. */
  sessionId: 128,
  /** The widget's open state: `'true'` or `'false'`. */
  open: 5,
  /** The last good config (`widget_config`): its content, revision and ETag. */
  config: 33 * 1024,
  /** The conversation's id, its secret and the stream's cursor (`conversation_session`). */
  conversationSession: 256,
  /**
   * Messages not yet taken by the collector (`conversation_outbox`): about eleven messages of
   * the longest kind (2,000 characters); past it new messages are refused, never dropped.
   */
  outbox: 24 * 1024,
} as const;

/** The widget id rule lives in the collector contract; re-exported for existing importers. */
export { WIDGET_ID_PATTERN } from './collector';

/** The prefix of every key a widget owns in its host's localStorage. */
export function storageNamespace(widgetId: string): string {
  return `framewire:${widgetId}:`;
}

/** Key of the visitor's id in the widget's namespace (`framewire:<widgetId>:session_id`). */
export const SESSION_ID_KEY = 'session_id';

/** Key of the last good widget config in the widget's namespace (`framewire:<widgetId>:widget_config`). */
export const WIDGET_CONFIG_KEY = 'widget_config';

/** Key of the visitor's conversation with the collector: `{ conversationId, secret, cursor }` (`framewire:<widgetId>:conversation_session`). */
export const CONVERSATION_SESSION_KEY = 'conversation_session';

/** Key of the messages on their way to the collector (`framewire:<widgetId>:conversation_outbox`). */
export const CONVERSATION_OUTBOX_KEY = 'conversation_outbox';

/** Key of the host's user id, set by `framewire('identify')` (`framewire:<widgetId>:user_id`). */
export const USER_ID_KEY = 'user_id';
