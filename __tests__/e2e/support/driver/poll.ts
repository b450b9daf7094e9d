import type { PageFunction, WaitOptions } from './types';

/** Default deadline of every wait in the browser suite (ms). */
export const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn(arg)` through `evaluate` until it returns a truthy value. An evaluation that
 * throws (the document is navigating, the frame is not there yet) counts as falsy. The
 * same polling serves every engine, so a wait means the same thing in all three.
 */
export async function pollEvaluate<R, A>(
  evaluate: (fn: PageFunction<A, R>, arg: A) => Promise<R>,
  fn: PageFunction<A, R>,
  arg: A,
  options: WaitOptions = {},
): Promise<NonNullable<R>> {
  const timeout = options.timeout ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await evaluate(fn, arg);
      if (value) return value as NonNullable<R>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const what = options.message ?? fn.toString().slice(0, 200);
      throw new Error(`Timed out after ${timeout} ms waiting for: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await sleep(POLL_MS);
  }
}

/** Polls a Node-side check; fails with `what` after `timeout` ms. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeout = DEFAULT_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for: ${what}`);
    await sleep(POLL_MS);
  }
}

export { sleep };
