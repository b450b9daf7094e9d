import type { ConversationMessage, ConversationStatus } from '../../protocol/conversations';
import { parseJson, parseMessage, parseStatus } from './answers';
import { createSseParser } from '../../util/sse-parser';

/** How one stream ended. */
export type StreamOutcome =
  /** The collector ended it (or it broke after opening): reopen after a short wait. */
  | 'ended'
  /** Nothing came for `deadStreamMs`, not even a heartbeat: reopened. */
  | 'dead'
  /** The answer is not an event stream (no readable body, another content type): long poll instead. */
  | 'not-stream'
  /** The stopping signal aborted it. */
  | 'stopped';

export interface StreamReadOptions {
  response: Response;
  /** Aborts the request; the reader aborts it too when the stream is dead. */
  controller: AbortController;
  signal: AbortSignal;
  deadStreamMs: number;
  onMessage(message: ConversationMessage): void;
  onStatus(status: ConversationStatus): void;
  /** Any byte arrived (an event or a heartbeat). */
  onActivity?(): void;
}

/**
 * Reads an open `text/event-stream` response until it ends.
 * 1. The body must be a readable stream of `text/event-stream`; else `not-stream`.
 * 2. Every chunk (heartbeat comments included) re-arms the dead-stream timer; when it fires,
 *    the request is aborted and the outcome is `dead`.
 * 3. `message` events are checked (`ConversationMessageSchema`) and handed on; `status`
 *    events likewise; anything that does not parse is dropped.
 */
export async function readEventStream(options: StreamReadOptions): Promise<StreamOutcome> {
  const { response, controller, signal } = options;
  const type = response.headers.get('content-type') ?? '';
  const body = response.body;
  if (!body || typeof body.getReader !== 'function' || !type.toLowerCase().startsWith('text/event-stream')) {
    controller.abort();
    return 'not-stream';
  }
  let dead = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      dead = true;
      controller.abort();
    }, options.deadStreamMs);
  };
  const parser = createSseParser((event) => {
    const value = parseJson(event.data);
    if (event.type === 'message') {
      const message = parseMessage(value);
      if (message) options.onMessage(message);
    } else if (event.type === 'status') {
      const status = parseStatus(value);
      if (status) options.onStatus(status);
    }
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  arm();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'ended';
      arm();
      options.onActivity?.();
      parser.push(decoder.decode(value, { stream: true }));
    }
  } catch {
    if (dead) return 'dead';
    return signal.aborted ? 'stopped' : 'ended';
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined);
  }
}
