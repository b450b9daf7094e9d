export * from './protocol/index';
export * from './chat-widget/index';
export { createLogger, createMemoryStorage, openStorage, randomId, uuidv7 } from './util/index';
export type { Logger, OpenedStorage } from './util/index';
