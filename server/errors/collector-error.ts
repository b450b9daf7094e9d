/** Error codes the collector raises; each maps to one HTTP answer or start-up failure. */
export const COLLECTOR_ERROR_CODES = {
  /** The configuration (environment or options) has a bad value. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The request body is not JSON or its envelope is malformed (400). */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** The request comes from an origin that is not allowed (403). */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /**
   * A registered widget's events come from a page origin outside its `allowedOrigins` (403,
   * message `origin_not_allowed`, which the embed's queue drops the batch on).
   */
  WIDGET_ORIGIN_NOT_ALLOWED: 'WIDGET_ORIGIN_NOT_ALLOWED',
  /** Events of an unregistered widget while registration is required (403, message `widget_not_registered`). */
  WIDGET_NOT_REGISTERED: 'WIDGET_NOT_REGISTERED',
  /** The token bucket of this widget and client is empty (429). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The store could not be reached or the transaction failed (503). */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** The store was used after `close()`. */
  STORE_CLOSED: 'STORE_CLOSED',
} as const;

/** One of {@link COLLECTOR_ERROR_CODES}. */
export type CollectorErrorCode = (typeof COLLECTOR_ERROR_CODES)[keyof typeof COLLECTOR_ERROR_CODES];

/** Extra data some codes carry. */
export interface CollectorErrorOptions {
  cause?: unknown;
  /** Seconds a client should wait before retrying (429, 503). */
  retryAfterSeconds?: number;
}

/** The one error type of the collector: a string `code`, `cause` passed through. */
export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  readonly code: CollectorErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: CollectorErrorCode, message: string, options: CollectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for a {@link CollectorError}, checked by name and code rather than `instanceof` alone. */
export function isCollectorError(error: unknown): error is CollectorError {
  if (error instanceof CollectorError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'CollectorError' && typeof code === 'string' && Object.values(COLLECTOR_ERROR_CODES).includes(code as CollectorErrorCode);
}
