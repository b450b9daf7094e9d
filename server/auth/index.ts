export { apiKeyGrantSchema, apiKeyGrantsSchema, MAX_API_KEY_LENGTH, MIN_API_KEY_LENGTH } from './api-key-grant';
export { createKeyRing } from './key-ring';
export { parseApiKeyJson, parseApiKeyList } from './parse-api-keys';
export { BEARER_CHALLENGE, NOT_FOUND, principalOf, requireApiKey } from './require-api-key';
export type { ApiKeyGrant } from './api-key-grant';
export type { ApiKeyPrincipal, KeyRing } from './key-ring';
export type { ApiKeyScope } from './require-api-key';
