import * as z from 'zod/mini';
import { ErrorCode } from './errors';
import type { HostMethodName } from './methods';

const storageKey = z.string().check(z.minLength(1));

/**
 * The host API: every method the widget may call on its host, with the schema of its
 * arguments (the specification of `HOST_METHOD_ARGS`, which the host runs) and of its
 * result (checked by the widget). Key and value lengths are limits, not schema errors: the
 * host answers them with `QUOTA_EXCEEDED`.
 */
export const HOST_METHODS = {
  /** Heartbeat: answers with the same number. */
  ping: { args: z.tuple([z.number()]), result: z.number() },
  /** Reads a key of the widget's namespace in the host's localStorage. */
  getItem: { args: z.tuple([storageKey]), result: z.nullable(z.string()) },
  /** Writes a key of the widget's namespace. */
  setItem: { args: z.tuple([storageKey, z.string()]), result: z.null() },
  /** Removes a key of the widget's namespace. */
  removeItem: { args: z.tuple([storageKey]), result: z.null() },
} as const satisfies Record<HostMethodName, { args: z.ZodMiniType; result: z.ZodMiniType }>;

export type HostMethodArgs<M extends HostMethodName> = z.infer<(typeof HOST_METHODS)[M]['args']>;
export type HostMethodResult<M extends HostMethodName> = z.infer<(typeof HOST_METHODS)[M]['result']>;

/**
 * What a host method answers. Errors travel as values, not as thrown exceptions: comlink
 * would strip an error down to its message and leak its stack across origins.
 */
export type HostResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export const HostResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().check(z.maxLength(1000)),
  }),
]);

/** The host side of the bridge: one function per method. */
export type HostApi = {
  [M in HostMethodName]: (...args: HostMethodArgs<M>) => HostResult<HostMethodResult<M>>;
};
