import type { EventSource } from './config';

/**
 * Calls `onWake` when the page may have come back: it became visible, went `online`, or got
 * `focus`. Returns what removes the listeners.
 */
export function listenForWake(target: EventSource, onWake: () => void): () => void {
  const onVisibility = (): void => {
    const doc = target.document ?? (typeof document === 'undefined' ? undefined : document);
    if (!doc || doc.visibilityState === 'visible') onWake();
  };
  target.addEventListener('visibilitychange', onVisibility);
  target.addEventListener('online', onWake);
  target.addEventListener('focus', onWake);
  return () => {
    target.removeEventListener('visibilitychange', onVisibility);
    target.removeEventListener('online', onWake);
    target.removeEventListener('focus', onWake);
  };
}
