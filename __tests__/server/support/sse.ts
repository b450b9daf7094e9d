import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** One event of a `text/event-stream`. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** An open event stream as the tests read it. */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every event so far, in order. */
  events: SseEvent[];
  /** Comment lines so far (`ping`). */
  comments: string[];
  /** Resolves once `predicate` holds for what arrived (checked at every chunk), or rejects after `timeoutMs`. */
  until(predicate: (client: SseClient) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Drops the connection (as a network failure would). */
  close(): void;
}

/** Opens an event stream with a GET; resolves once the answer's headers are in. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const checks = new Set<() => void>();
    const req: ClientRequest = httpRequest(url, { method: 'GET', headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      let endStream: () => void = () => undefined;
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        until(predicate, timeoutMs = 10_000) {
          if (predicate(client)) return Promise.resolve();
          return new Promise((done, fail) => {
            const check = (): void => {
              if (!predicate(client)) return;
              clearTimeout(timer);
              checks.delete(check);
              done();
            };
            const timer = setTimeout(() => {
              checks.delete(check);
              fail(new Error(`stream: condition not met within ${timeoutMs} ms; events: ${JSON.stringify(client.events)}`));
            }, timeoutMs);
            checks.add(check);
          });
        },
        ended: new Promise<void>((done) => {
          endStream = done;
        }),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let id: string | null = null;
          const data: string[] = [];
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) {
              event = line.slice(7);
              isEvent = true;
            } else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) {
              data.push(line.slice(6));
              isEvent = true;
            }
          }
          if (isEvent) {
            const text = data.join('\n');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // kept as text
            }
            client.events.push({ event, id, data: parsed });
          }
          cut = buffer.indexOf('\n\n');
        }
        for (const check of [...checks]) check();
      });
      res.on('end', () => endStream());
      res.on('close', () => endStream());
      res.on('error', () => endStream());
      resolve(client);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
