import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the proxy saw, and what became of it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** `cut` = the socket was destroyed; `failed` = the proxy answered 503; `forwarded` = the collector answered `status`. */
  outcome: 'cut' | 'failed' | 'forwarded';
  status: number;
  /** Ids of the events in a batch body (empty for anything else). */
  sent: string[];
  /** The collector's 200 answer, for batch requests. */
  accepted: string[];
  duplicates: string[];
  failed: { id: string; reason: string }[];
}

/** A loopback HTTP proxy in front of the collector, with switches for network faults. */
export interface FaultProxy {
  /** Base URL to use as the page's `collectorUrl`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request seen since the start (or the last `resetLog()`), oldest first. */
  readonly log: readonly ProxiedRequest[];
  /** Requests seen per path since the start (or the last `resetLog()`). */
  count(path?: string): number;
  resetLog(): void;
  /** Network down: every request's socket is destroyed, so the page sees a network error. */
  cut(): void;
  /**
   * Answers 503 to the 1st, (n+1)-th, (2n+1)-th … POST batch request of each path (the
   * others are forwarded), with `Retry-After: <retryAfter>` unless `retryAfter` is null.
   * CORS headers are set (origin echoed, `Retry-After` exposed) as the collector does, so the
   * page can read the status and the header.
   */
  failEvery(n: number, retryAfter?: number | null): void;
  /** `failEvery(2, retryAfter)`: every other POST batch request of each path fails. */
  failHalf(retryAfter?: number | null): void;
  /** Back to plain forwarding. */
  restore(): void;
  close(): Promise<void>;
}

type Mode = { kind: 'pass' } | { kind: 'cut' } | { kind: 'fail'; every: number; retryAfter: number | null; seen: Map<string, number> };

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const parse = (body: Buffer): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => String((item as { id?: unknown })?.id ?? item)) : []);

/**
 * Starts the proxy on `127.0.0.1` (a free port) in front of `target` (the collector's base
 * URL). It forwards method, path, headers and body as they are (CORS preflights included)
 * and records each request; the switches turn faults on and off. `close()` it in `afterAll`;
 * its server is unref'd, so a forgotten proxy never keeps the process alive.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: Mode = { kind: 'pass' };
  let log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://proxy').pathname;
    const entry: ProxiedRequest = { method, path, at: Date.now(), outcome: 'forwarded', status: 0, sent: [], accepted: [], duplicates: [], failed: [] };
    log.push(entry);
    if (mode.kind === 'cut') {
      entry.outcome = 'cut';
      request.socket.destroy();
      return;
    }
    const body = await readBody(request);
    const isBatch = method === 'POST' && path.endsWith('/batch');
    if (isBatch) entry.sent = ids(parse(body)?.events);
    if (mode.kind === 'fail' && isBatch) {
      const seen = (mode.seen.get(path) ?? 0) + 1;
      mode.seen.set(path, seen);
      if ((seen - 1) % mode.every === 0) {
        entry.outcome = 'failed';
        entry.status = 503;
        const origin = request.headers.origin;
        response.writeHead(503, {
          'Content-Type': 'application/json; charset=utf-8',
          ...(origin && { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' }),
          ...(mode.retryAfter !== null && { 'Retry-After': String(mode.retryAfter) }),
        });
        response.end(JSON.stringify({ error: 'storage unavailable' }));
        return;
      }
    }
    const headers: IncomingHttpHeaders = { ...request.headers, host: upstream.host };
    await new Promise<void>((resolve) => {
      const outgoing = forward(
        { hostname: upstream.hostname, port: upstream.port, method, path: request.url, headers },
        (answer) => {
          void readBody(answer).then((text) => {
            entry.status = answer.statusCode ?? 0;
            if (isBatch && entry.status === 200) {
              const parsed = parse(text);
              entry.accepted = ids(parsed?.accepted);
              entry.duplicates = ids(parsed?.duplicates);
              entry.failed = Array.isArray(parsed?.failed) ? (parsed.failed as { id: string; reason: string }[]) : [];
            }
            response.writeHead(entry.status, answer.headers);
            response.end(text);
            resolve();
          }, resolve);
        },
      );
      outgoing.on('error', () => {
        // The collector is gone: pass that on as a network error.
        request.socket.destroy();
        resolve();
      });
      outgoing.end(body);
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const failEvery = (n: number, retryAfter: number | null = 1): void => {
    mode = { kind: 'fail', every: Math.max(1, Math.floor(n)), retryAfter, seen: new Map() };
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    count: (path) => (path === undefined ? log.length : log.filter((entry) => entry.path === path).length),
    resetLog() {
      log = [];
    },
    cut() {
      mode = { kind: 'cut' };
      // Open keep-alive connections go down with the network, too.
      for (const socket of sockets) socket.destroy();
    },
    failEvery,
    failHalf: (retryAfter = 1) => failEvery(2, retryAfter),
    restore() {
      mode = { kind: 'pass' };
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
