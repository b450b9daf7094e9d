/** A debug logger: silent unless enabled, every line prefixed with `[Name]`. */
export interface Logger {
  (message: string, ...details: unknown[]): void;
  readonly enabled: boolean;
}

export function createLogger(name: string, enabled: boolean): Logger {
  const prefix = `[${name}]`;
  const log = (message: string, ...details: unknown[]): void => {
    if (enabled) console.debug(`${prefix} ${message}`, ...details);
  };
  return Object.assign(log, { enabled });
}
