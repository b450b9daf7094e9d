export { createLogger } from './logger';
export { createMemoryStorage } from './memory-storage';
export { normalizeOptions, normalizeSettings } from './normalize-options';
export { openStorage } from './safe-storage';
export { randomId, uuidv7 } from './ids';
export type { Logger } from './logger';
export type { OptionsOf } from './normalize-options';
export type { OpenedStorage } from './safe-storage';
