/**
 * Deadlines for many pending calls on one timer. A browser timer costs more than the rest
 * of a bridge call's bookkeeping, and sequential calls with the same timeout have deadlines
 * in order, so one timer armed for the earliest deadline serves them all.
 */
export interface Deadlines<K> {
  /** Calls `onExpire(key)` once `timeoutMs` has passed, unless the key is cleared first. */
  set(key: K, timeoutMs: number): void;
  clear(key: K): void;
  /** Clears every deadline and the timer. */
  clearAll(): void;
}

export function createDeadlines<K>(onExpire: (key: K) => void): Deadlines<K> {
  const due = new Map<K, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = Number.POSITIVE_INFINITY;

  const arm = (at: number): void => {
    clearTimeout(timer);
    armedFor = at;
    timer = setTimeout(fire, Math.max(0, at - Date.now()));
  };

  const fire = (): void => {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, at] of [...due]) {
      if (at <= now) {
        due.delete(key);
        onExpire(key);
      } else {
        next = Math.min(next, at);
      }
    }
    // An expiry callback may have set a later deadline meanwhile; the earliest one wins.
    if (next < armedFor) arm(next);
  };

  return {
    set(key, timeoutMs) {
      const at = Date.now() + timeoutMs;
      due.set(key, at);
      if (at < armedFor) arm(at);
    },
    clear: (key) => void due.delete(key),
    clearAll() {
      due.clear();
      clearTimeout(timer);
      timer = undefined;
      armedFor = Number.POSITIVE_INFINITY;
    },
  };
}
