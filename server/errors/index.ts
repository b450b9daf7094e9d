export { COLLECTOR_ERROR_CODES, CollectorError, isCollectorError } from './collector-error';
export type { CollectorErrorCode, CollectorErrorOptions } from './collector-error';
export { registerErrorHandler } from './error-handler';
