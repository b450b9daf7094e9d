/**
 * Starts the deadline of one request: the signal aborts after `timeoutMs` or when `stop`
 * aborts, whichever comes first. Calling the returned `release` once the request settled
 * (answer body read or not) clears the timer and the listener on `stop`. A timer of our
 * own rather than `AbortSignal.timeout`, so that fake timers drive it in tests.
 */
export function startDeadline(timeoutMs: number, stop: AbortSignal): [signal: AbortSignal, release: () => void] {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  const timer = setTimeout(cancel, timeoutMs);
  stop.addEventListener('abort', cancel);
  const release = (): void => {
    clearTimeout(timer);
    stop.removeEventListener('abort', cancel);
  };
  return [controller.signal, release];
}
