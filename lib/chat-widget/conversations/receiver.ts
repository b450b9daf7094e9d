import type { ConversationMessage, ConversationStatus } from '../../protocol/conversations';
import type { Logger } from '../../util/logger';
import { abortableDelay } from '../retry';
import type { ConversationApi } from './api';
import { backoffMs } from './config';
import type { ConversationClientConfig } from './config';
import type { OnlineSource } from './online';
import { whenOnline } from './online';
import { readEventStream } from './stream-reader';

/** How replies are read now. */
export type ReceiveMode = 'stream' | 'poll';

export interface ReceiverOptions {
  api: ConversationApi;
  conversationId: string;
  secret: string;
  /** Where to resume: every message after this seq. Read at every (re)connect. */
  cursor: () => number;
  onMessages(messages: ConversationMessage[]): void;
  onStatus(status: ConversationStatus): void;
  /** The collector does not know the conversation (or its secret) any more: 404. */
  onLost(): void;
  config: ConversationClientConfig;
  online: OnlineSource;
  log: Logger;
  /** Start with the long poll (no stream tried). @default 'stream' */
  mode?: ReceiveMode;
  /** Told when the mode changes (the stream could not stay open). */
  onMode?(mode: ReceiveMode): void;
}

/** Fetch failures in a row (no answer at all) after which the stream is given up for the long poll. */
const NETWORK_FAILURES_BEFORE_POLL = 2;

/**
 * Reads a conversation's replies until stopped.
 *
 * 1. Stream: `GET …/events` with `Last-Event-ID: <cursor>`; it sends every message after it,
 *    then live ones. An ended or dead stream is reopened after a backoff (1 s doubling to
 *    30 s; reset once a stream delivered something), from the cursor at that moment.
 * 2. The stream is given up for the long poll when the fetch fails with no answer twice in
 *    a row, or the answer is not an event stream (a proxy that buffers, no `ReadableStream`).
 * 3. Long poll: `GET …/messages?after=<cursor>&wait=25`, again at once after an answer with
 *    messages, 1 s after an empty one, after a backoff after a failure.
 * 4. A 404 (conversation or secret unknown) stops it and calls `onLost`.
 * 5. While `navigator.onLine` is false it waits for `online`.
 * Returns `stop()`.
 */
export function startReceiver(options: ReceiverOptions): () => void {
  const stopper = new AbortController();
  const { signal } = stopper;
  const { api, config, log } = options;
  let mode: ReceiveMode = options.mode ?? 'stream';

  const setMode = (next: ReceiveMode): void => {
    if (mode === next) return;
    mode = next;
    log(`Replies now come by ${next === 'poll' ? 'long poll' : 'stream'}.`);
    options.onMode?.(next);
  };

  /** One stream: `'lost'`, `'network'` (no answer), or whether it delivered anything. */
  const streamOnce = async (): Promise<'lost' | 'network' | 'not-stream' | 'status' | { delivered: boolean }> => {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    // The opening has the request deadline; once open, the dead-stream timer watches it.
    const opening = setTimeout(abort, config.requestTimeoutMs);
    try {
      const response = await api.stream(options.conversationId, options.secret, options.cursor(), controller.signal);
      clearTimeout(opening);
      if (!response) return 'network';
      if (response.status === 404) return 'lost';
      if (!response.ok) {
        controller.abort();
        return 'status';
      }
      let delivered = false;
      const outcome = await readEventStream({
        response,
        controller,
        signal,
        deadStreamMs: config.deadStreamMs,
        onMessage: (message) => {
          delivered = true;
          options.onMessages([message]);
        },
        onStatus: options.onStatus,
      });
      if (outcome === 'not-stream') return 'not-stream';
      if (outcome === 'dead') log('The stream went silent; reopening.');
      return { delivered };
    } finally {
      clearTimeout(opening);
      signal.removeEventListener('abort', abort);
    }
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    let networkFailures = 0;
    while (!signal.aborted) {
      await whenOnline(options.online, signal);
      if (signal.aborted) return;
      if (mode === 'stream') {
        const outcome = await streamOnce();
        if (signal.aborted) return;
        if (outcome === 'lost') return options.onLost();
        if (outcome === 'not-stream') {
          setMode('poll');
          continue;
        }
        networkFailures = outcome === 'network' ? networkFailures + 1 : 0;
        if (networkFailures >= NETWORK_FAILURES_BEFORE_POLL) {
          setMode('poll');
          continue;
        }
        if (typeof outcome === 'object' && outcome.delivered) failures = 0;
      } else {
        const result = await api.page(options.conversationId, options.secret, options.cursor(), config.longPollSeconds, signal);
        if (signal.aborted) return;
        if (result.kind === 'ok') {
          failures = 0;
          options.onStatus(result.value.status);
          if (result.value.messages.length > 0) {
            options.onMessages(result.value.messages);
            continue;
          }
          // An empty answer after the wait: ask again, but never in a tight loop (a collector
          // that ignores `wait` answers at once).
          await abortableDelay(config.retryDelayMs, signal);
          continue;
        }
        if (result.kind === 'status' && result.status === 404) return options.onLost();
      }
      await abortableDelay(backoffMs(config, failures), signal);
      failures++;
    }
  };
  void run();
  return () => stopper.abort();
}
