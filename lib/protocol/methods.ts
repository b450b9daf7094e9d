import { isStringOf } from './guards';

/** The host methods a widget may call, in protocol order. */
export const HOST_METHOD_NAMES = ['ping', 'getItem', 'setItem', 'removeItem'] as const;

export type HostMethodName = (typeof HOST_METHOD_NAMES)[number];

const key = (value: unknown): boolean => isStringOf(value, 1, Number.MAX_SAFE_INTEGER);

/**
 * Argument checks the host runs before a call reaches comlink (the compact twin of
 * `HOST_METHODS[m].args`). Key and value lengths are limits, answered with
 * `QUOTA_EXCEEDED` by the storage, not schema errors.
 */
export const HOST_METHOD_ARGS: Record<HostMethodName, (args: readonly unknown[]) => boolean> = {
  ping: (args) => args.length === 1 && Number.isFinite(args[0]),
  getItem: (args) => args.length === 1 && key(args[0]),
  setItem: (args) => args.length === 2 && key(args[0]) && typeof args[1] === 'string',
  removeItem: (args) => args.length === 1 && key(args[0]),
};

/** True for the name of a host method (own names only: `__proto__`, `constructor`… are not). */
export function isHostMethodName(value: unknown): value is HostMethodName {
  return typeof value === 'string' && (HOST_METHOD_NAMES as readonly string[]).includes(value);
}
