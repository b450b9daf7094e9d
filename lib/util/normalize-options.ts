/** Options as callers may give them: any of the fields, each possibly `undefined`. */
export type OptionsOf<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * The one way a component completes its options (ky's normalize): a fresh copy of
 * `defaults` with every option that is not `undefined` laid over it, so that
 * `{ timeoutMs: undefined }` means "use the default" (a plain spread would copy the
 * `undefined`). Options without a default are copied too, as a spread would. Neither
 * argument is changed; the result is a new, unfrozen object the caller may freeze.
 */
export function normalizeOptions<T extends object, O extends object = OptionsOf<T>>(defaults: T, options?: O): T & O {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) merged[key] = value;
  return merged as T & O;
}

/**
 * {@link normalizeOptions} for a component whose options also carry collaborators (a
 * bridge, a clock): only the options that have a default are taken, so that the result
 * holds settings only.
 */
export function normalizeSettings<T extends object>(defaults: T, options: OptionsOf<T> = {}): T {
  const settings = Object.keys(defaults).map((key) => [key, (options as Record<string, unknown>)[key]]);
  return normalizeOptions(defaults, Object.fromEntries(settings) as OptionsOf<T>);
}
