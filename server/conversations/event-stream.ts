import type { FastifyReply } from 'fastify';
import type { StreamHub } from './stream-hub';

/**
 * Bytes a slow client may leave unread before its stream is ended (it resumes with
 * `Last-Event-ID`, losing nothing): keeps one stuck reader from holding memory.
 */
export const MAX_UNREAD_STREAM_BYTES = 256 * 1024;

/** An open `text/event-stream` answer. */
export interface EventStream {
  /** Writes one event (`event:`, optional `id:`, `data:` as one line of JSON) and flushes it. */
  send(event: string, data: unknown, id?: number): void;
  /** Ends the answer. Idempotent. */
  end(): void;
  /** Runs `cleanup` once when the stream ends, for any reason (client gone, shutdown, `end()`). */
  onEnd(cleanup: () => void): void;
  readonly ended: boolean;
}

/**
 * Turns the reply into an event stream.
 *
 * 1. The reply is taken over from fastify (`hijack`), keeping the headers set so far (CORS).
 * 2. `Content-Type: text/event-stream`, `Cache-Control: no-store`, `X-Accel-Buffering: no`
 *    (proxies such as nginx would otherwise hold events back), headers flushed at once.
 * 3. Every event is written as it comes (no compression, no buffering on our side).
 * 4. The stream joins the hub: the shared heartbeat (`: ping`), the age limit, and shutdown.
 */
export function openEventStream(reply: FastifyReply, hub: StreamHub, now: () => number): EventStream {
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  let ended = false;
  const cleanups: (() => void)[] = [];
  const finish = (): void => {
    if (ended) return;
    ended = true;
    removeFromHub();
    for (const cleanup of cleanups.splice(0)) cleanup();
    if (!res.writableEnded) res.end();
  };
  const write = (chunk: string): void => {
    if (ended) return;
    res.write(chunk);
    if (res.writableLength > MAX_UNREAD_STREAM_BYTES) {
      finish();
      res.destroy();
    }
  };
  res.on('close', finish);
  const removeFromHub = hub.add({ openedAt: now(), ping: () => write(': ping\n\n'), end: finish });
  // The client may have gone while the request was checked: its 'close' is then already past.
  if (res.destroyed || res.socket === null || res.socket.destroyed) finish();

  return {
    send(event, data, id) {
      write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
    },
    end: finish,
    onEnd(cleanup) {
      if (ended) cleanup();
      else cleanups.push(cleanup);
    },
    get ended() {
      return ended;
    },
  };
}
