/** Options of {@link createRefusalLog}. */
export interface RefusalLogOptions {
  /** Where the lines go (the collector's logger). */
  warn: (fields: Record<string, unknown>, message: string) => void;
  /** The clock, in ms. */
  now: () => number;
  /**
   * Least time between two lines of one widget and origin.
   * @default 60000
   */
  intervalMs?: number;
  /**
   * Widget and origin pairs remembered; past it the oldest is forgotten (and may log again early).
   * @default 1000
   */
  maxKeys?: number;
}

/** Counts of refused ingestion requests since the process started. */
export interface RefusalCounts {
  /** 403 `origin_not_allowed`: a registered widget's events from a page origin outside its `allowedOrigins`. */
  originNotAllowed: number;
  /** 403 `widget_not_registered`: events of an unregistered widget while registration is required. */
  notRegistered: number;
}

/** Why a request was refused. */
export type RefusalReason = keyof RefusalCounts;

/** Counts every refusal and logs at most one line per widget and origin per interval. */
export interface RefusalLog {
  record(reason: RefusalReason, widgetId: string, origin: string | null): void;
  /** A copy of the counts. */
  counts(): RefusalCounts;
}

/**
 * A page on a refused origin retries and sends more batches; one line a minute per widget and
 * origin (with how many were left out) says everything without flooding the log.
 */
export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  const intervalMs = options.intervalMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 1000;
  const counts: RefusalCounts = { originNotAllowed: 0, notRegistered: 0 };
  const lastLine = new Map<string, { at: number; suppressed: number }>();

  return {
    record(reason, widgetId, origin) {
      counts[reason] += 1;
      const key = `${reason}\u0000${widgetId}\u0000${origin ?? ''}`;
      const at = options.now();
      const last = lastLine.get(key);
      if (last !== undefined && at - last.at < intervalMs) {
        last.suppressed += 1;
        return;
      }
      lastLine.delete(key);
      if (lastLine.size >= maxKeys) {
        const oldest = lastLine.keys().next();
        if (oldest.done !== true) lastLine.delete(oldest.value);
      }
      lastLine.set(key, { at, suppressed: 0 });
      const message = reason === 'originNotAllowed' ? 'events refused: origin not in the widget\'s allowedOrigins' : 'events refused: widget not registered';
      options.warn({ widgetId, origin, suppressedSinceLastLine: last?.suppressed ?? 0 }, message);
    },
    counts: () => ({ ...counts }),
  };
}
