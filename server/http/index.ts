export { registerJsonBodyParser } from './body-parser';
export { PREFLIGHT_MAX_AGE_SECONDS, registerCors, registerPreflight } from './cors';
export { createTokenBucketLimiter } from './token-bucket';
export type { CorsPolicy } from './cors';
export type { TakeResult, TokenBucketLimiter, TokenBucketOptions } from './token-bucket';
