/**
 * `promise`, or a rejection naming `what` once `ms` have passed: a benchmark waiting on a
 * browser, another window or a child process must end, with a reason, if that never answers.
 * The timer is cleared either way.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
