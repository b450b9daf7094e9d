export { usePolling } from './usePolling';
export type { PollingOptions, PollingState } from './usePolling';
