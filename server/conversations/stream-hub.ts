/** One open stream as the hub sees it. */
export interface HubStream {
  /** Writes a comment line (`: ping`); a dead connection ends itself. */
  ping(): void;
  /** Ends the stream (shutdown, or past its age). */
  end(): void;
  /** When it opened (ms, the hub's clock). */
  readonly openedAt: number;
}

/** Options of {@link createStreamHub}. */
export interface StreamHubOptions {
  /** Between two heartbeats of every stream. */
  heartbeatMs: number;
  /** Streams older than this are ended at the next heartbeat (the client resumes). */
  maxAgeMs: number;
  /** The clock, in ms. */
  now: () => number;
}

/**
 * Every open stream and long poll of this process.
 *
 * - One heartbeat interval for all streams (on with the first stream, off after the last),
 *   so a stream costs no timer of its own.
 * - `closeAll()` ends every stream and wakes every long poll, for a stop that does not wait on
 *   connections that never end by themselves; later `add`s end at once.
 */
export interface StreamHub {
  /** Adds an open stream; returns its removal (call it when the stream ends). */
  add(stream: HubStream): () => void;
  /** Adds a waiting long poll (woken on shutdown); returns its removal. */
  addWaiter(wake: () => void): () => void;
  /** Ends every stream and wakes every waiter; the hub then refuses new ones. Idempotent. */
  closeAll(): void;
  readonly closed: boolean;
  /** Open streams now. */
  readonly size: number;
}

/** Creates a {@link StreamHub}. */
export function createStreamHub(options: StreamHubOptions): StreamHub {
  const streams = new Set<HubStream>();
  const waiters = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const beat = (): void => {
    const now = options.now();
    for (const stream of [...streams]) {
      if (now - stream.openedAt >= options.maxAgeMs) stream.end();
      else stream.ping();
    }
  };
  const stopTimer = (): void => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  };

  return {
    add(stream) {
      if (closed) {
        stream.end();
        return () => undefined;
      }
      streams.add(stream);
      if (timer === undefined) {
        timer = setInterval(beat, options.heartbeatMs);
        timer.unref?.();
      }
      return () => {
        streams.delete(stream);
        if (streams.size === 0) stopTimer();
      };
    },
    addWaiter(wake) {
      if (closed) {
        wake();
        return () => undefined;
      }
      waiters.add(wake);
      return () => waiters.delete(wake);
    },
    closeAll() {
      closed = true;
      stopTimer();
      for (const stream of [...streams]) stream.end();
      streams.clear();
      for (const wake of [...waiters]) wake();
      waiters.clear();
    },
    get closed() {
      return closed;
    },
    get size() {
      return streams.size;
    },
  };
}
