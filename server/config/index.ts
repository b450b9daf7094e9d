export { DEFAULT_COLLECTOR_CONFIG } from './defaults';
export { COLLECTOR_ENV_VARS, loadConfig } from './load-config';
export { describeIssue, normalizeConfig } from './normalize-config';
export type { CollectorOptions } from './normalize-config';
export type { CollectorConfig, ConversationsConfig, RateLimitConfig, RetentionConfig } from './types';
