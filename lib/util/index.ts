export { createLogger } from './logger';
export { createMemoryStorage } from './memory-storage';
export { openStorage } from './safe-storage';
export { randomId, uuidv7 } from './ids';
export type { Logger } from './logger';
export type { OpenedStorage } from './safe-storage';
