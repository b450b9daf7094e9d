import { isWidgetId } from '../protocol/collector';
import { normalizeOptions } from '../util/normalize-options';
import type { QueueConfig } from './queue/config';

/** The queue timings a page may tune (milliseconds; `jitter` a fraction). */
export const QUEUE_TIMING_OPTIONS = [
  'maxBatchSize',
  'maxBatchDelay',
  'initialRetryDelay',
  'maxRetryDelay',
  'maxRetryAfter',
  'requestTimeout',
  'jitter',
] as const;

/** `init`'s `queue` option: timings of both event queues; any left out keeps its default. */
export type QueueTimings = Partial<Pick<QueueConfig, (typeof QUEUE_TIMING_OPTIONS)[number]>>;

/** What `framewire('init', …)` accepts. */
export interface EmbedConfig {
  /** The widget's id: 1–64 letters, digits, `_` or `-`, starting with a letter or digit (the collector contract's `WIDGET_ID_PATTERN`). */
  widgetId: string;
  /** Address of the widget app (`widget.html`); its origin is the only one the host talks to. */
  widgetUrl: string;
  /** Where the host sends the widget's events. @default none */
  collectorUrl?: string | undefined;
  /** Debug lines in the console, each prefixed with its class name. @default false */
  debug?: boolean | undefined;
  /** Corner the launcher sits in. @default 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left' | undefined;
  /** Accessible name of the launcher and the iframe (1–80 characters). @default 'Chat' */
  title?: string | undefined;
  /**
   * Timings of the click and analytics queues (see `DEFAULT_QUEUE_CONFIG`): `maxBatchSize`,
   * `maxBatchDelay`, `initialRetryDelay`, `maxRetryDelay`, `maxRetryAfter`,
   * `requestTimeout` (ms) and `jitter` (0–1). For tests and unusual networks.
   * @default {} (every timing at its default)
   */
  queue?: QueueTimings | undefined;
  /**
   * Holds every analytics event and offer click on the page, in memory only, until the
   * page calls `framewire('consent', { analytics: true })`; `{ analytics: false }` drops
   * them. The chat works either way. The browser's Global Privacy Control has the same
   * effect without this option. See docs/PRIVACY.md. @default false
   */
  consentRequired?: boolean | undefined;
}

/** {@link EmbedConfig} with every default applied. */
export type ResolvedEmbedConfig = Required<Pick<EmbedConfig, 'widgetId' | 'widgetUrl'>> & {
  collectorUrl: string | undefined;
  debug: boolean;
  position: 'bottom-right' | 'bottom-left';
  title: string;
  queue: QueueTimings;
  consentRequired: boolean;
};

export const DEFAULT_EMBED_CONFIG = {
  debug: false,
  position: 'bottom-right',
  title: 'Chat',
  queue: {},
  consentRequired: false,
} as const satisfies Partial<EmbedConfig>;

const isHttpUrl = (value: unknown): boolean => {
  try {
    return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

const isBoolean = (value: unknown): boolean => typeof value === 'boolean';

const optional = (check: (value: unknown) => boolean) => (value: unknown) => value === undefined || check(value);

/** An object of known timings, each a finite number ≥ 0. */
const isQueueTimings = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Object.entries(value).every(([key, timing]) => (QUEUE_TIMING_OPTIONS as readonly string[]).includes(key) && Number.isFinite(timing) && timing >= 0);

/** One check per option, with the message shown when it fails. */
const FIELDS: Record<keyof EmbedConfig, [check: (value: unknown) => boolean, message: string]> = {
  widgetId: [isWidgetId, 'must be 1-64 letters, digits, _ or -, starting with a letter or digit'],
  widgetUrl: [isHttpUrl, 'must be an absolute http(s) URL'],
  collectorUrl: [optional(isHttpUrl), 'must be an absolute http(s) URL'],
  debug: [optional(isBoolean), 'must be true or false'],
  position: [optional((v) => v === 'bottom-right' || v === 'bottom-left'), "must be 'bottom-right' or 'bottom-left'"],
  title: [optional((v) => typeof v === 'string' && v.length >= 1 && v.length <= 80), 'must be 1-80 characters'],
  queue: [optional(isQueueTimings), `must be an object of ${QUEUE_TIMING_OPTIONS} (numbers ≥ 0)`],
  consentRequired: [optional(isBoolean), 'must be true or false'],
};

/**
 * Validates and completes a configuration. Unknown options are errors (a typo must not pass
 * silently); the message names every bad field.
 */
export function resolveEmbedConfig(input: unknown): { ok: true; config: ResolvedEmbedConfig } | { ok: false; error: string } {
  if (typeof input !== 'object' || input === null) return { ok: false, error: 'Invalid framewire config: expected an object.' };
  const record = input as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((key) => !Object.hasOwn(FIELDS, key))
    .map((key) => `${key}: unknown option`);
  for (const [key, [check, message]] of Object.entries(FIELDS)) {
    if (!check(record[key])) problems.push(`${key}: ${message}`);
  }
  if (problems.length > 0) return { ok: false, error: `Invalid framewire config: ${problems.join('; ')}` };
  // Every field is checked above; `undefined` means "use the default".
  return { ok: true, config: normalizeOptions(DEFAULT_EMBED_CONFIG, record) as ResolvedEmbedConfig };
}
