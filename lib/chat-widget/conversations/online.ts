/** Whether the browser says it is online, and a way to hear when that changes. */
export interface OnlineSource {
  isOnline(): boolean;
  /** Calls `listener` on `online`; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
}

/** `navigator.onLine` and the window's `online` event; without a window, always online. */
export function browserOnline(target: Window | null = typeof window === 'undefined' ? null : window): OnlineSource {
  return {
    // `false` is the only word worth trusting: `true` proves nothing, failures still back off.
    isOnline: () => target?.navigator.onLine !== false,
    onOnline(listener) {
      target?.addEventListener('online', listener);
      return () => target?.removeEventListener('online', listener);
    },
  };
}

/** Resolves once online (at once if it is), or when `signal` aborts. */
export function whenOnline(online: OnlineSource, signal: AbortSignal): Promise<void> {
  if (online.isOnline() || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const off = online.onOnline(done);
    signal.addEventListener('abort', done, { once: true });
  });
}
