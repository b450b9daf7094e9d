import { useCallback, useEffect, useRef, useState } from 'react';

/** Options of {@link usePolling}. */
export interface PollingOptions {
  /** Time between the end of one load and the start of the next. */
  intervalMs: number;
  /**
   * What is being loaded (e.g. the range): a new key drops the old data and loads at once.
   */
  key: string;
  /** Called with every error of a load (not with aborts). */
  onError?: (error: unknown) => void;
}

/** What {@link usePolling} shows. */
export interface PollingState<T> {
  /** The last data loaded for the current key, kept while a refresh runs or fails. */
  data: T | null;
  /** The error of the last load, null once one succeeds. */
  error: unknown;
  /** True while nothing has been loaded (or failed) for the current key yet. */
  loading: boolean;
  /** True while a load runs. */
  busy: boolean;
  /** When the data was loaded (ms since the epoch). */
  updatedAt: number | null;
  /** Aborts the running load, if any, and loads now. */
  refresh(): void;
}

interface Snapshot<T> {
  key: string;
  data: T | null;
  error: unknown;
  settled: boolean;
  busy: boolean;
  updatedAt: number | null;
}

const blank = <T>(key: string): Snapshot<T> => ({ key, data: null, error: null, settled: false, busy: true, updatedAt: null });

/**
 * Loads now, then again `intervalMs` after each load ends, while the page is visible.
 *
 * 1. One load at a time: a refresh, a key change or unmounting aborts the running one with
 *    its AbortController, and an aborted load never touches the state.
 * 2. While the tab is hidden no load starts; when it shows again, a load starts at once if the
 *    last one is older than `intervalMs`, else when it falls due.
 * 3. A failed load keeps the last data and is tried again after `intervalMs`.
 * Timers and the clock are read at call time (fake timers work).
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, options: PollingOptions): PollingState<T> {
  const { intervalMs, key } = options;
  const [snapshot, setSnapshot] = useState<Snapshot<T>>(() => blank(key));
  const [nonce, setNonce] = useState(0);
  // The latest callbacks, without restarting the loop when the caller passes new closures.
  const loadRef = useRef(load);
  const onErrorRef = useRef(options.onError);
  useEffect(() => {
    loadRef.current = load;
    onErrorRef.current = options.onError;
  });

  useEffect(() => {
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let startedAt = -Infinity;
    let running = false;
    let stopped = false;
    const hidden = (): boolean => document.visibilityState === 'hidden';

    const run = async (): Promise<void> => {
      clearTimeout(timer);
      controller?.abort();
      const own = new AbortController();
      controller = own;
      startedAt = Date.now();
      running = true;
      setSnapshot((previous) => ({ ...(previous.key === key ? previous : blank<T>(key)), busy: true }));
      try {
        const data = await loadRef.current(own.signal);
        if (own.signal.aborted) return;
        running = false;
        setSnapshot({ key, data, error: null, settled: true, busy: false, updatedAt: Date.now() });
      } catch (error) {
        if (own.signal.aborted) return;
        running = false;
        setSnapshot((previous) => ({ ...(previous.key === key ? previous : blank<T>(key)), error, settled: true, busy: false }));
        onErrorRef.current?.(error);
      }
      if (!stopped) schedule(intervalMs);
    };
    const schedule = (delayMs: number): void => {
      clearTimeout(timer);
      if (!hidden()) timer = setTimeout(() => void run(), Math.max(0, delayMs));
    };
    const onVisibilityChange = (): void => {
      if (hidden()) clearTimeout(timer);
      // A load still running when the tab shows again schedules the next one itself.
      else if (!running) schedule(startedAt + intervalMs - Date.now());
    };

    // The first load runs even in a hidden tab, so the page is ready when it is looked at.
    timer = setTimeout(() => void run(), 0);
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [key, intervalMs, nonce]);

  const refresh = useCallback(() => setNonce((n) => n + 1), []);
  const current = snapshot.key === key ? snapshot : blank<T>(key);
  return {
    data: current.data,
    error: current.error,
    loading: !current.settled,
    busy: current.busy,
    updatedAt: current.updatedAt,
    refresh,
  };
}
