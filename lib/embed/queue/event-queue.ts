import { ORIGIN_REFUSAL_ERROR } from '../../protocol/collector';
import type { BatchEnvelope } from '../../protocol/collector';
import { utf8Length } from '../../protocol/storable';
import { uuidv7 } from '../../util/ids';
import { createLogger } from '../../util/logger';
import { openStorage } from '../../util/safe-storage';
import { settledIds } from './answer';
import type { Answer } from './answer';
import { retryDelay } from './backoff';
import { startDeadline } from './deadline';
import { SEND_OUTCOME } from './send-outcome';
import type { SendOutcome } from './send-outcome';
import { HEARTBEAT_INTERVAL, KEEPALIVE_BYTES, MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES, normalizeQueueConfig } from './config';
import { createTabStore } from './tab-store';
import type { QueuedEvent } from './tab-store';
import type { Note } from './delivery-health';
import type { EventQueue, EventQueueDeps, EventQueueOptions } from './types';

// The types' home is `./types`; importers of this file keep finding them here.
export type { EventQueue, EventQueueDeps, EventQueueOptions } from './types';

/**
 * Creates the queue.
 *
 * 1. `enqueue` writes the event to this tab's key at once (see `createTabStore`).
 * 2. Sending starts when `maxBatchSize` events wait, `maxBatchDelay` after the first, on
 *    `online`, and on `pagehide`/`visibilitychange` hidden (with `keepalive`, within
 *    `KEEPALIVE_BYTES`; not while a request is out or the last one got no answer at all).
 *    `navigator.onLine === false` holds everything until `online`.
 * 3. A request carries at most 25 events and 64 KB, as
 *    `text/plain` JSON, which needs no CORS preflight.
 * 4. A 200 answer removes `accepted`, `duplicates` and `failed` (logged) ids; nothing else
 *    removes an event, except the bounds.
 * 5. Network error, no answer within `requestTimeout` (the request is aborted), 408, 429,
 *    5xx and anything unexpected: back off (see `retryDelay`), same ids. 400/413: halve the batch; a single event refused so is dropped with its reason,
 *    so one poison event cannot block the queue.
 * 6. A 403 `{ "error": "origin_not_allowed" }` (body read within the same deadline): the
 *    widget's owner does not allow this page's origin. Every event this page holds or
 *    records for the collector would get the same answer (it judges the request's origin),
 *    so they are dropped and counted (`refused()`), and the queue sends nothing more for the
 *    rest of the page view. The next page view asks again, once: a fixed `allowedOrigins`
 *    takes effect without a retry storm from every visitor in the meantime.
 * 7. Drops by the bounds, refusals (400/413 of a single event, `failed` by reason) and
 *    retried sends are counted in `deps.health`, with the age of each batch's oldest event;
 *    with `deps.reports` the page's `$delivery` report goes first in a batch being sent
 *    (never alone: not in a batch split down to single events). See `createDeliveryHealth`.
 */
export function createEventQueue(options: EventQueueOptions, deps: EventQueueDeps = {}): EventQueue {
  const config = normalizeQueueConfig(options);
  const win = deps.window ?? window;
  const nav = win.navigator;
  const log = deps.log ?? createLogger('EventQueue', false);
  const random = deps.random ?? Math.random;
  const post = deps.fetch ?? ((url, init) => win.fetch(url, init));
  const opened = openStorage(() => (deps.storage === undefined ? win.localStorage : deps.storage));
  const health = deps.health;
  /**
   * What the delivery counters count is also the queue's debug line, with its detail:
   * `[EventQueue] retries 503`, `[EventQueue] refused_too_old <id> too_old`.
   */
  const note: Note = (counter, detail) => {
    health?.count(counter);
    log(`${counter} ${detail}`);
  };
  const store = createTabStore(config, opened.storage, opened.persistent, deps.locks ?? nav.locks, log, () => adopted(), note);
  const inFlight = new Set<string>();
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retrying = false;
  let failures = 0;
  /**
   * A request is out, or the last one got no answer at all (it ran out of time, the network
   * failed, or the browser cancelled it as the page went): the path may be one that takes
   * connections and never answers.
   */
  let unanswered = false;
  let limit = MAX_EVENTS_PER_REQUEST;
  let running: Promise<void> | undefined;
  let again = false;
  let destroyed = false;
  /** Events dropped because the collector refused this page's origin. */
  let refused = 0;
  /** The collector refused this page's origin: nothing more is sent or kept in this page view. */
  let closed = false;

  const offline = (): boolean => nav.onLine === false;
  const waiting = (): QueuedEvent[] => store.read().filter((event) => !inFlight.has(event.id));
  const disarm = (): void => {
    clearTimeout(timer);
    timer = undefined;
    retrying = false;
  };
  const arm = (ms: number, retry: boolean): void => {
    disarm();
    retrying = retry;
    timer = setTimeout(() => void flush(), ms);
  };
  /** Sends soon unless a backoff is running: the batch timer, or at once when a batch is full. */
  const soon = (): void => {
    if (retrying || destroyed || offline()) return;
    if (waiting().length >= config.maxBatchSize) void flush();
    else if (timer === undefined) arm(config.maxBatchDelay, false);
  };

  /**
   * Events taken over from a page that is gone are due already (that page tried to send
   * them as it went): they leave at once, not after `maxBatchDelay`. On a path that hangs,
   * that request is still unanswered when this page goes in turn, which keeps this page from
   * adding one more keepalive request the browser cannot abort (see `onHide`).
   */
  const adopted = (): void => {
    if (!retrying && !destroyed && !offline()) void flush();
  };

  const body = (batch: QueuedEvent[]): string =>
    JSON.stringify({ widgetId: options.widgetId, automated: navigator.webdriver || undefined, events: batch } satisfies BatchEnvelope<QueuedEvent>);
  /**
   * The oldest waiting events that fit in one request of at most `maxBytes`; first, the
   * page's `$delivery` report when this queue carries it and one is due (never on its own).
   */
  const pick = (maxBytes: number): [QueuedEvent[], string] => {
    let batch = waiting().slice(0, limit);
    const oldest = batch[0];
    // Never on its own: a refused batch split down to single events goes without it.
    const report = oldest && health?.batch(oldest.timestamp, deps.reports && limit > 1);
    if (report) batch = [report, ...batch.slice(0, limit - 1)];
    let text = body(batch);
    // Serialised once per size tried: this runs on every send.
    while (batch.length > 1 && utf8Length(text) > maxBytes) {
      batch = batch.slice(0, batch.length >> 1);
      text = body(batch);
    }
    return [batch, text];
  };
  const remove = (ids: Set<unknown>): void => store.write(store.read().filter((event) => !ids.has(event.id)));

  /** Sends one batch and handles the answer; says how the flush loop goes on. Nothing to send: `stop`. */
  const send = async ([batch, text]: [QueuedEvent[], string], keepalive: boolean): Promise<SendOutcome> => {
    if (batch.length === 0 || closed) return SEND_OUTCOME.stop;
    for (const event of batch) inFlight.add(event.id);
    let status = 0;
    let retryAfter: string | null = null;
    let answer: Answer | undefined;
    // Aborted by its deadline or by destroy(), whichever first.
    const [signal, release] = startDeadline(config.requestTimeout, abort.signal);
    unanswered = true;
    try {
      const response = await post(options.url, { method: 'POST', body: text, keepalive, signal });
      status = response.status;
      retryAfter = response.headers.get('Retry-After');
      // Reading the body is under the same deadline: a path can send headers and then stall.
      if (response.ok) answer = (await response.json()) as Answer;
      // Any other 403 (an unreadable body included) is retried as before.
      else if (status === 403) closed = ((await response.json().catch(() => null)) as { error?: unknown } | null)?.error === ORIGIN_REFUSAL_ERROR;
      unanswered = false;
    } catch {
      // A network error, a deadline, an abort or an unreadable answer: retried below, same
      // ids. A 200 whose body never came, or is not JSON, counts as a failure too.
    } finally {
      release();
      for (const event of batch) inFlight.delete(event.id);
    }
    if (destroyed) return SEND_OUTCOME.stop;
    if (closed) {
      const dropped = store.read().length;
      refused += dropped;
      log(`Dropped ${dropped}: ${ORIGIN_REFUSAL_ERROR}.`);
      store.write([]);
      return SEND_OUTCOME.stop;
    }
    if (answer) {
      const done = settledIds(answer, batch, note);
      health?.done(done);
      if (batch.some((event) => done.has(event.id))) {
        remove(done);
        failures = 0;
        // The other halves of a split batch, or ids left unconfirmed, go at once.
        const more = limit < MAX_EVENTS_PER_REQUEST || !batch.every((event) => done.has(event.id));
        limit = MAX_EVENTS_PER_REQUEST;
        return more ? SEND_OUTCOME.again : SEND_OUTCOME.ifFull;
      }
    } else if (status === 400 || status === 413) {
      if (batch.length > 1) limit = (batch.length + 1) >> 1;
      else {
        note('refused_http', `${batch[0]?.id} ${status}`);
        remove(new Set([batch[0]?.id]));
      }
      return SEND_OUTCOME.again;
    }
    failures++;
    note('retries', status || 'network');
    // Past maxRetries the queue stays paused (no timer) until online, hide, reload or flush().
    retrying = true;
    if (failures <= config.maxRetries) arm(retryDelay(config, failures, retryAfter, random), true);
    return SEND_OUTCOME.stop;
  };

  /** Sends a first batch, then more only while full batches wait; the rest waits for the timer. */
  const loop = async (): Promise<void> => {
    disarm();
    let outcome: SendOutcome = SEND_OUTCOME.again;
    while (outcome !== SEND_OUTCOME.stop && !destroyed && !offline() && (outcome === SEND_OUTCOME.again || waiting().length >= config.maxBatchSize)) {
      outcome = await send(pick(MAX_REQUEST_BYTES), false);
    }
  };
  // A trigger that comes while a flush is ending must not be lost: it runs one more, unless
  // that flush failed: then the backoff (or the `Retry-After` the answer asked for) decides.
  const flush = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    again = false;
    running = loop().finally(() => {
      running = undefined;
      if (again && !retrying) void flush();
      else soon();
    });
    return running;
  };

  /**
   * Page hidden or unloading: one keepalive request now, whatever the timers say, unless the
   * path may be hanging (see `unanswered`). A keepalive request outlives the page, and with
   * it the deadline that would abort it: on a path that takes connections and never
   * answers, each one would hold one of the browser's few connections to the collector (six
   * per host) long after the path heals, and the next pages' requests would wait behind
   * them. The events stay stored; the next page, or this one's own retries, send them.
   */
  const onHide = (): void => {
    if (offline() || destroyed || unanswered) return;
    void send(pick(KEEPALIVE_BYTES), true);
  };
  const onVisibility = (): void => {
    if (win.document.visibilityState === 'hidden') onHide();
  };
  const onPageHide = (): void => {
    onHide();
    store.beat(0);
  };
  const onOnline = (): void => {
    failures = 0;
    void flush();
  };
  const tick = (): void => {
    store.beat();
    store.adopt();
  };
  const listeners: [EventTarget, string, () => void][] = [
    [win, 'online', onOnline],
    [win, 'pagehide', onPageHide],
    [win.document, 'visibilitychange', onVisibility],
  ];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener);
  const heartbeat = setInterval(tick, HEARTBEAT_INTERVAL);
  store.adopt();

  return {
    enqueue(input) {
      if (closed) {
        refused++;
        return false;
      }
      const event = { ...input, id: input.id ?? uuidv7(), timestamp: input.timestamp ?? Date.now() } as QueuedEvent;
      const events = store.read();
      if (events.some((held) => held.id === event.id)) return false;
      store.write([...events, event]);
      soon();
      return true;
    },
    flush,
    size: () => store.read().length,
    dropped: store.dropped,
    refused: () => refused,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      disarm();
      clearInterval(heartbeat);
      abort.abort();
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener);
      store.destroy();
    },
  };
}
