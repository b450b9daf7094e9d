/**
 * The expression that runs a serialised page function on its argument, with the argument and
 * the result both carried as JSON text. Every driver evaluates through it, so all three
 * engines hand a function the same value: each automation library's own value transport
 * differs (playwright drops an own `__proto__` key; Firefox's BiDi builds objects through
 * Xray wrappers that refuse it), and the security tests send such keys on purpose.
 */
export function jsonCall(source: string, arg: unknown): string {
  const input = arg === undefined ? 'undefined' : `JSON.parse(${JSON.stringify(JSON.stringify(arg))})`;
  return `(async () => { const value = await (${source})(${input}); return value === undefined ? undefined : JSON.stringify(value); })()`;
}

/** The value back from `jsonCall`'s JSON text (undefined stays undefined). */
export function fromJson<R>(json: unknown): R {
  return (typeof json === 'string' ? JSON.parse(json) : undefined) as R;
}
