/**
 * Limits on what a widget may keep in its host's localStorage. Lengths are in UTF-16 code
 * units (JavaScript string length), the unit browsers count localStorage quota in.
 */
export const STORAGE_LIMITS = {
  /** Longest key a widget may use, without the namespace prefix. */
  maxKeyLength: 128,
  /** Longest value of one key (64 KB). */
  maxValueLength: 64 * 1024,
  /** Most a widget may keep in all its keys together, keys and values counted (512 KB). */
  maxTotalLength: 512 * 1024,
} as const;

/** The widget id rule lives in the collector contract; re-exported for existing importers. */
export { WIDGET_ID_PATTERN } from './collector';

/** The prefix of every key a widget owns in its host's localStorage. */
export function storageNamespace(widgetId: string): string {
  return `framewire:${widgetId}:`;
}

/** Key of the visitor's id in the widget's namespace (`framewire:<widgetId>:session_id`). */
export const SESSION_ID_KEY = 'session_id';

/** Key of the host's user id, set by `framewire('identify')` (`framewire:<widgetId>:user_id`). */
export const USER_ID_KEY = 'user_id';
