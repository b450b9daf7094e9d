import type { DocumentProblem } from '../../../lib/protocol/widget-document';

/** Every code a {@link DashboardError} can carry. */
export const DashboardErrorCode = {
  /** 401: no key, or a key the collector does not know. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** 404: the widget does not exist or the key does not own it. */
  NOT_FOUND: 'NOT_FOUND',
  /** 400: the collector refused a parameter or a document; `message` is its `error`, `problems` where each one is. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** 412: someone saved the widget since it was loaded; `revision` is the stored one. Nothing was saved. */
  STALE_REVISION: 'STALE_REVISION',
  /** 429 or 5xx: the collector is busy or failing; worth retrying. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** The request never got an answer (offline, DNS, connection refused). */
  NETWORK: 'NETWORK',
  /** The answer (headers and body) did not come within the client's `timeoutMs`; worth retrying. */
  TIMEOUT: 'TIMEOUT',
  /** An answer that is not the JSON the read API promises. */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
} as const;

export type DashboardErrorCode = (typeof DashboardErrorCode)[keyof typeof DashboardErrorCode];

const ERROR_NAME = 'DashboardError';

/** What a {@link DashboardError} may carry besides its code and message. */
export interface DashboardErrorOptions {
  status?: number;
  cause?: unknown;
  problems?: readonly DocumentProblem[];
  revision?: number | null;
}

/** The one error the dashboard's API client rejects with (besides an abort); `code` says what happened. */
export class DashboardError extends Error {
  readonly code: DashboardErrorCode;
  /** The HTTP status, when there was an answer. */
  readonly status: number | null;
  /** `BAD_REQUEST` of a document: where each problem is (`content.greeting`) and what is wrong. */
  readonly problems: readonly DocumentProblem[];
  /** `STALE_REVISION`: the revision the collector holds, when it said. */
  readonly revision: number | null;

  constructor(code: DashboardErrorCode, message: string, options: DashboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = ERROR_NAME;
    this.code = code;
    this.status = options.status ?? null;
    this.problems = options.problems ?? [];
    this.revision = options.revision ?? null;
  }
}

/** True for a {@link DashboardError} (checked by `name` and `code`, not only `instanceof`). */
export function isDashboardError(error: unknown, code?: DashboardErrorCode): error is DashboardError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== ERROR_NAME || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** True when the collector refused the key itself: the dashboard goes back to sign-in. */
export function isKeyRefused(error: unknown): error is DashboardError {
  return isDashboardError(error, DashboardErrorCode.UNAUTHORIZED);
}

/** True when the error means the credentials are wrong (a refused key, or a widget the key may not see). */
export function isCredentialError(error: unknown): error is DashboardError {
  return isKeyRefused(error) || isDashboardError(error, DashboardErrorCode.NOT_FOUND);
}

/** The sentence the dashboard shows for an error. */
export function describeDashboardError(error: unknown): string {
  if (!isDashboardError(error)) return 'Something went wrong while talking to the collector.';
  switch (error.code) {
    case DashboardErrorCode.UNAUTHORIZED:
      return 'That key was refused. Check the API key and try again.';
    case DashboardErrorCode.NOT_FOUND:
      return 'No such widget for this key.';
    case DashboardErrorCode.BAD_REQUEST:
      return `The collector refused the request: ${error.message}`;
    case DashboardErrorCode.STALE_REVISION:
      return 'Someone else saved this widget after you loaded it.';
    case DashboardErrorCode.UNAVAILABLE:
      return `The collector is not answering right now (HTTP ${error.status ?? '5xx'}). Try again in a moment.`;
    case DashboardErrorCode.NETWORK:
      return 'Could not reach the collector. Check your connection and try again.';
    case DashboardErrorCode.TIMEOUT:
      return 'The collector took too long to answer. Try again in a moment.';
    case DashboardErrorCode.INVALID_RESPONSE:
      return 'The collector sent an answer the dashboard cannot read. Is it up to date?';
  }
}
