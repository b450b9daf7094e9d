/**
 * A minimal W3C WebDriver (classic) client over `fetch`: just the commands the WebKit driver
 * uses, every request under a deadline, errors turned into one readable line.
 */

/** The key under which WebDriver hands out element references. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** An element reference as WebDriver serialises it. */
export type ElementReference = Readonly<Record<typeof ELEMENT_KEY, string>>;

/** Deadline of one ordinary command (ms); commands that wait for the page pass their own. */
export const COMMAND_TIMEOUT_MS = 30_000;

/** A WebDriver error answer (`error` is the W3C error code, e.g. `no such element`). */
export class WebDriverError extends Error {
  override readonly name = 'WebDriverError';
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
  }
}

/** Sends one command to the driver at `base` and resolves with its `value`. */
export async function webDriverCommand<T = unknown>(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs: number = COMMAND_TIMEOUT_MS,
): Promise<T> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
  if (method === 'POST') {
    init.headers = { 'content-type': 'application/json; charset=utf-8' };
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(`${base}${path}`, init).catch((cause: unknown) => {
    throw new Error(`WebDriver ${method} ${path} failed: ${String(cause)}`, { cause });
  });
  const text = await response.text();
  let parsed: { value?: unknown };
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new Error(`WebDriver ${method} ${path} answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
  }
  const value = parsed.value;
  // W3C WebDriver answers every error with a 4xx/5xx status and `{ error, message }`.
  if (!response.ok) {
    const failure = (value ?? {}) as { error?: string; message?: string };
    throw new WebDriverError(failure.error ?? `HTTP ${response.status}`, `${method} ${path}: ${failure.message ?? text.slice(0, 200)}`);
  }
  return value as T;
}

/** Whether `value` is an element reference. */
export function isElementReference(value: unknown): value is ElementReference {
  return typeof value === 'object' && value !== null && ELEMENT_KEY in value;
}
