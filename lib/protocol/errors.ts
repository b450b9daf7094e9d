/** Every code a {@link FramewireError} can carry. */
export const ErrorCode = {
  /** A remote call or the handshake got no answer in time. */
  CONNECTION_TIMEOUT: 'CONNECTION_TIMEOUT',
  /** The connection was destroyed or replaced while the call was pending. */
  CONNECTION_DESTROYED: 'CONNECTION_DESTROYED',
  /** A key, a value or the widget's total storage is over its limit. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** A message or an argument did not match its schema. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** Configuration given by the integrator is invalid. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The host failed while handling a call. */
  HOST_ERROR: 'HOST_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const ERROR_NAME = 'FramewireError';

/** The one error type framewire throws or rejects with; `code` says what happened. */
export class FramewireError extends Error {
  // Declared, and assigned in the constructor: class field initialisers would cost the
  // embed script helper code at its es2020 target.
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ERROR_NAME;
    this.code = code;
  }
}

/**
 * True for a {@link FramewireError}, also one created in another realm (window), where
 * `instanceof` fails: it checks `name` and `code`.
 */
export function isFramewireError(error: unknown, code?: ErrorCode): error is FramewireError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== ERROR_NAME || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}
