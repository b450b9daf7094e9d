import { WEBHOOK_HEADERS } from '../../lib/protocol/conversations';
import { DEFAULT_WEBHOOK_RETRY_POLICY, retryDelayMs } from './backoff';
import type { WebhookRetryPolicy } from './backoff';
import { postWebhook } from './post-webhook';
import type { WebhookAnswer, WebhookPost } from './post-webhook';
import { resolveWebhookTarget } from './resolve-target';
import type { HostLookup } from './resolve-target';
import { signWebhook } from './signature';
import type { ClaimedDelivery, DeliveryOutcome, WebhookOutbox } from './types';

/** Where the dispatcher writes what happened. */
export interface DispatcherLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Timers the dispatcher waits with; tests swap them. */
export interface DispatcherTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Settings of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherSettings {
  /**
   * How often the outbox is looked at when nothing woke the dispatcher (deliveries written by
   * other collectors, retries coming due).
   * @default 1000
   */
  pollIntervalMs: number;
  /**
   * Deliveries claimed (and sent concurrently) at once.
   * @default 5
   */
  batchSize: number;
  /**
   * How long a claim holds: longer than a whole attempt (lookup, connection, answer), so no
   * other collector takes a row still being sent; a collector that dies holding one delays it
   * by this much.
   * @default 60000
   */
  leaseMs: number;
  /**
   * Deadline of one POST, connection and answer included.
   * @default 10000
   */
  requestTimeoutMs: number;
  /**
   * Deadline of the host name lookup before a POST.
   * @default 5000
   */
  lookupTimeoutMs: number;
  /** When to try again, and when to give up. */
  retry: WebhookRetryPolicy;
  /**
   * Let deliveries reach loopback, private and link-local addresses (`FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE`).
   * @default false
   */
  allowPrivate: boolean;
}

/** Defaults of {@link WebhookDispatcherSettings}. */
export const DEFAULT_WEBHOOK_DISPATCHER_SETTINGS: Readonly<WebhookDispatcherSettings> = Object.freeze({
  pollIntervalMs: 1000,
  batchSize: 5,
  leaseMs: 60_000,
  requestTimeoutMs: 10_000,
  lookupTimeoutMs: 5000,
  retry: DEFAULT_WEBHOOK_RETRY_POLICY,
  allowPrivate: false,
});

/** What {@link createWebhookDispatcher} needs. */
export interface WebhookDispatcherOptions extends Partial<Omit<WebhookDispatcherSettings, 'retry'>> {
  outbox: WebhookOutbox;
  /** This collector's id, written into `claimed_by`. */
  instanceId: string;
  /** The clock (ms since the epoch). */
  now: () => number;
  logger: DispatcherLogger;
  retry?: Partial<WebhookRetryPolicy>;
  /** @default Math.random */
  random?: () => number;
  /** @default the system resolver */
  lookup?: HostLookup;
  /** @default postWebhook */
  post?: (post: WebhookPost) => Promise<WebhookAnswer>;
  /** @default the global setTimeout/clearTimeout, read at call time */
  timers?: DispatcherTimers;
}

/** A running dispatcher. */
export interface WebhookDispatcher {
  /** Looks at the outbox now (a new delivery was written in this process). */
  wake(): void;
  /** One pass: claims and sends what is due; resolves with the number of deliveries attempted. */
  runOnce(): Promise<number>;
  /**
   * Stops: no new pass, in-flight POSTs aborted (their rows are left claimed and sent again
   * once the lease ends: at least once), resolves when the current pass has ended.
   */
  stop(): Promise<void>;
}

const globalTimers: DispatcherTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The webhook dispatcher of one collector: sends the outbox's due deliveries, signed, at least
 * once, to each widget's bot endpoint.
 *
 * 1. A pass claims up to `batchSize` due rows (a lease of `leaseMs` under this instance's id,
 *    committed before anything is sent) and sends them concurrently.
 * 2. Each: the row's message gone or the widget's URL removed → given up. The URL's host is
 *    resolved and checked (private addresses refused for good unless allowed); the POST goes
 *    to the checked address, body `WebhookDelivery`, headers `X-Framewire-Signature`
 *    (`t=<unix>,v1=<HMAC>`) and `X-Framewire-Delivery` (the message id), within
 *    `requestTimeoutMs`, redirects not followed.
 * 3. 2xx → delivered. Anything else → tried again after `retryDelayMs` (10 s doubling up to
 *    1 h, jittered), or given up once the row is `giveUpAfterMs` old; `last_error` says why.
 * 4. A full batch starts the next pass at once; otherwise the next pass waits `pollIntervalMs`
 *    or a `wake()`, whichever comes first. A crash between a POST and its update leaves the
 *    row claimed: it is sent again when the lease ends (receivers dedupe by delivery id).
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const settings: WebhookDispatcherSettings = {
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.pollIntervalMs,
    batchSize: options.batchSize ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.batchSize,
    leaseMs: options.leaseMs ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.leaseMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.requestTimeoutMs,
    lookupTimeoutMs: options.lookupTimeoutMs ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.lookupTimeoutMs,
    allowPrivate: options.allowPrivate ?? DEFAULT_WEBHOOK_DISPATCHER_SETTINGS.allowPrivate,
    retry: { ...DEFAULT_WEBHOOK_RETRY_POLICY, ...Object.fromEntries(Object.entries(options.retry ?? {}).filter(([, v]) => v !== undefined)) },
  };
  const { outbox, instanceId, logger } = options;
  const random = options.random ?? Math.random;
  const post = options.post ?? postWebhook;
  const timers = options.timers ?? globalTimers;
  const stopping = new AbortController();
  let timer: unknown;
  let current: Promise<unknown> = Promise.resolve();
  let passRunning = false;
  let wakeRequested = false;

  const failure = (delivery: ClaimedDelivery, error: string, now: number): DeliveryOutcome => {
    const attempts = delivery.attempts + 1;
    if (now - delivery.createdAt >= settings.retry.giveUpAfterMs) {
      logger.warn({ widgetId: delivery.widgetId, deliveryId: delivery.messageId, attempts, error }, 'webhook delivery given up');
      return { kind: 'given_up', attempts, error };
    }
    return { kind: 'retry', attempts, nextAttemptAt: now + retryDelayMs(attempts, settings.retry, random), error };
  };

  const attempt = async (delivery: ClaimedDelivery): Promise<DeliveryOutcome | null> => {
    const fields = { widgetId: delivery.widgetId, deliveryId: delivery.messageId };
    if (delivery.payload === null || delivery.url === null || delivery.secret === null) {
      const error = delivery.payload === null ? 'message deleted' : 'webhook removed';
      logger.info({ ...fields, error }, 'webhook delivery dropped');
      return { kind: 'given_up', attempts: delivery.attempts, error };
    }
    const target = await resolveWebhookTarget(delivery.url, {
      allowPrivate: settings.allowPrivate,
      timeoutMs: settings.lookupTimeoutMs,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    });
    if (stopping.signal.aborted) return null;
    if (!target.ok && target.reason === 'private address') {
      logger.warn({ ...fields, detail: target.detail }, 'webhook delivery refused: private address (FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE is off)');
      return { kind: 'given_up', attempts: delivery.attempts + 1, error: `private address: ${target.detail}` };
    }
    if (!target.ok) return failure(delivery, `lookup failed: ${target.detail}`, options.now());
    const body = JSON.stringify(delivery.payload);
    // The deadline on the swappable timers (AbortSignal.timeout would not follow a test's clock).
    const deadline = new AbortController();
    const deadlineTimer = timers.setTimeout(() => deadline.abort(new Error('deadline')), settings.requestTimeoutMs);
    const signal = AbortSignal.any([stopping.signal, deadline.signal]);
    try {
      const answer = await post({
        url: target.url,
        address: target.address,
        body,
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'framewire-webhooks',
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, body, Math.floor(options.now() / 1000)),
          [WEBHOOK_HEADERS.delivery]: delivery.messageId,
        },
      });
      if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered', at: options.now() };
      return failure(delivery, `answered ${answer.status}`, options.now());
    } catch (error) {
      if (stopping.signal.aborted) return null;
      const reason = deadline.signal.aborted ? `no answer within ${settings.requestTimeoutMs} ms` : (error as Error).message;
      return failure(delivery, reason, options.now());
    } finally {
      timers.clearTimeout(deadlineTimer);
    }
  };

  const settle = async (delivery: ClaimedDelivery): Promise<void> => {
    const outcome = await attempt(delivery);
    if (outcome === null) return;
    await outbox.finishDelivery(delivery, instanceId, outcome);
  };

  const runOnce = async (): Promise<number> => {
    if (stopping.signal.aborted) return 0;
    const claimed = await outbox.claimDueDeliveries({ claimer: instanceId, now: options.now(), leaseMs: settings.leaseMs, limit: settings.batchSize });
    const settled = await Promise.allSettled(claimed.map(settle));
    for (const result of settled) {
      if (result.status === 'rejected') logger.warn({ err: result.reason as Error }, 'webhook delivery not recorded; it is sent again when its lease ends');
    }
    return claimed.length;
  };

  const schedule = (delayMs: number) => {
    if (stopping.signal.aborted) return;
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = undefined;
      loop();
    }, delayMs);
  };

  const loop = () => {
    if (stopping.signal.aborted) return;
    if (passRunning) {
      // Looked at again right after the pass: the row that woke us may have missed its claim.
      wakeRequested = true;
      return;
    }
    passRunning = true;
    wakeRequested = false;
    current = runOnce()
      .catch((error: unknown) => {
        logger.warn({ err: error as Error }, 'webhook outbox unavailable; trying again');
        return 0;
      })
      .then((count) => {
        passRunning = false;
        const again = count >= settings.batchSize || wakeRequested;
        schedule(again ? 0 : settings.pollIntervalMs);
      });
  };

  schedule(0);

  return {
    wake: () => schedule(0),
    runOnce,
    stop: async () => {
      stopping.abort();
      timers.clearTimeout(timer);
      timer = undefined;
      await current.catch(() => undefined);
    },
  };
}
