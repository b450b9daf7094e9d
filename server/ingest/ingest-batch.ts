import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import type { CollectorConfig } from '../config';
import { describeIssue } from '../config';
import type { TokenBucketLimiter } from '../http';
import type { EventKind, EventStore } from '../store';
import { batchEnvelopeSchema } from './schemas';
import { validateEvents } from './validate-events';
import { botVerdict } from './bot-verdict';
import type { WidgetGate } from './widget-gate';
import type { BatchAnswer } from '../../lib/protocol/collector';

/** The 200 answer of every ingestion route: the contract's `BatchAnswer`. */
export type { BatchAnswer };

/** What ingestion needs besides the body. */
export interface IngestDeps {
  store: EventStore;
  limiter: TokenBucketLimiter;
  config: CollectorConfig;
  /** The registry's check of the widget and the page origin (`createWidgetGate`). */
  gate: WidgetGate;
  /** Called after a batch stored at least one event (wakes the analytics worker). */
  onStored?: () => void;
  /** Called when a request begins (`+1`) and ends (`-1`): how busy ingestion is. */
  onIngesting?: (delta: 1 | -1) => void;
}

/** Facts about the request itself. */
export interface RequestFacts {
  /** Raw client address: used as a rate-limit key in memory, stored only anonymized. */
  ip: string;
  anonymizedIp: string | null;
  userAgent: string | null;
  /** The `Origin` header (the sending page's origin), or `null` when absent (servers, tools). */
  origin: string | null;
}

/**
 * Ingests one batch request.
 *
 * 1. Envelope: `widgetId`, optional `batchId`, `events` an array of at most
 *    `maxEventsPerBatch` → else 400.
 * 2. The widget's registry entry: a page origin outside its `allowedOrigins`, or an unregistered
 *    widget while registration is required → 403, nothing stored (see `createWidgetGate`).
 * 3. Rate limit: one token per event from the bucket of (widgetId, client address) → else 429.
 * 4. Each event validated on its own (see `validateEvents`), and marked when it comes from a bot
 *    or an automated browser (see `botVerdict`).
 * 5. The valid ones stored in one transaction, skipping known (widgetId, id), and queued for the
 *    analytics worker in the same transaction → else 503.
 * 6. Answer once the transaction has committed. Sessions and rollups follow within about a
 *    second (the analytics worker), not in this request.
 */
export async function ingestBatch(kind: EventKind, body: unknown, facts: RequestFacts, deps: IngestDeps): Promise<BatchAnswer> {
  deps.onIngesting?.(1);
  try {
    return await ingest(kind, body, facts, deps);
  } finally {
    deps.onIngesting?.(-1);
  }
}

async function ingest(kind: EventKind, body: unknown, facts: RequestFacts, deps: IngestDeps): Promise<BatchAnswer> {
  const { config } = deps;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, 'bad envelope: the body must be a JSON object');
  }
  const events = (body as { events?: unknown }).events;
  if (Array.isArray(events) && events.length > config.maxEventsPerBatch) {
    throw new CollectorError(
      COLLECTOR_ERROR_CODES.INVALID_REQUEST,
      `too many events: ${events.length} (at most ${config.maxEventsPerBatch} per request; split the batch)`,
    );
  }
  const envelope = batchEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_REQUEST, `bad envelope: ${describeIssue(envelope.error)}`);
  const { widgetId, batchId, automated } = envelope.data;
  await deps.gate(widgetId, facts.origin);

  const take = deps.limiter.take(`${widgetId}\u0000${facts.ip}`, Math.max(1, envelope.data.events.length));
  if (!take.allowed) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.RATE_LIMITED, 'rate limit exceeded for this widget and client', {
      retryAfterSeconds: take.retryAfterSeconds,
    });
  }

  const validated = validateEvents(kind, envelope.data.events, {
    widgetId,
    batchId: batchId ?? null,
    receivedAt: config.now(),
    ip: facts.anonymizedIp,
    userAgent: facts.userAgent,
    maxEventBytes: config.maxEventBytes,
    maxEventAgeMs: config.maxEventAgeMs,
    maxFutureSkewMs: config.maxFutureSkewMs,
    isBot: botVerdict({ automated: automated === true, keepBots: config.keepBots }),
  });
  const stored = await deps.store.insertEvents(validated.rows);
  if (stored.inserted.length > 0) deps.onStored?.();
  return { accepted: stored.inserted, duplicates: [...stored.duplicates, ...validated.repeated], failed: validated.failed };
}
