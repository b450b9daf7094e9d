import autocannon from 'autocannon';
import { batch, clicks } from '../../__tests__/support/events';

/** The widget every load batch is sent for (the one whose summary the catch-up check reads). */
export const BENCH_WIDGET_ID = 'bench';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Server base URLs; connections are spread evenly over them. */
  urls: readonly string[];
  connections: number;
  durationSeconds: number;
  eventsPerBatch: number;
  /** Requests per second over all URLs (a fixed-rate load); omitted: as fast as the servers answer. */
  requestsPerSecond?: number;
}

/** What one load measured. */
export interface LoadFigures {
  eventsPerSecond: number;
  requestsPerSecond: number;
  /** Events of the requests answered 2xx (all ids are fresh, so all of them stored). */
  acceptedEvents: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** One visitor's batch, as a host page's queue sends it: visitors drawn from 10,000. */
export function clickBatch(eventsPerBatch: number, widgetId = BENCH_WIDGET_ID): string {
  const now = Date.now();
  const sessionId = `bench-visitor-${Math.floor(Math.random() * 10_000)}`;
  // Time-ordered ids, as the embed script makes them.
  const events = clicks(eventsPerBatch, { sessionId, questionId: 'q1', buttonVariantId: 'a', timestamp: now, userAgent: USER_AGENT });
  return JSON.stringify(batch(events, widgetId));
}

/**
 * Sends click batches with fresh UUIDv7 event ids on every request (so the insert path is measured,
 * not the duplicate path), to every URL at once, and sums the figures. Latency percentiles are
 * the worst of the instances.
 */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const perUrl = Math.max(1, Math.round(options.connections / options.urls.length));
  const rate = options.requestsPerSecond === undefined ? {} : { overallRate: Math.max(1, Math.round(options.requestsPerSecond / options.urls.length)) };
  const results = await Promise.all(
    options.urls.map((url) =>
      autocannon({
        url: `${url}/api/track/click/batch`,
        connections: perUrl,
        duration: options.durationSeconds,
        timeout: 10,
        ...rate,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: clickBatch(options.eventsPerBatch) }),
          },
        ],
      }),
    ),
  );
  const ok = results.reduce((sum, r) => sum + r['2xx'], 0);
  const duration = Math.max(...results.map((r) => r.duration));
  return {
    requestsPerSecond: ok / duration,
    eventsPerSecond: (ok * options.eventsPerBatch) / duration,
    acceptedEvents: ok * options.eventsPerBatch,
    p50Ms: Math.max(...results.map((r) => r.latency.p50)),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}
