import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What became of one request:
 * - `forwarded`: the collector answered `status` and the page got that answer;
 * - `cut`: the socket was destroyed on arrival (`cut()`);
 * - `failed`: the proxy answered `status` itself (500, 503, 429), the collector saw nothing;
 * - `hung`: the socket was kept and never answered;
 * - `late`: forwarded (the collector committed), answered only after the fault's delay;
 * - `reset`: the socket was destroyed once part of the request body had arrived;
 * - `lost`: forwarded (the collector committed), then the socket was destroyed instead of answering;
 * - `not-json`: the proxy answered 200 with a body that is not JSON, the collector saw nothing.
 */
export type ProxyOutcome = 'forwarded' | 'cut' | 'failed' | 'hung' | 'late' | 'reset' | 'lost' | 'not-json';

/** One request the proxy saw, and what became of it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  outcome: ProxyOutcome;
  status: number;
  /** Ids of the events in a batch body (empty for anything else, and for `reset`). */
  sent: string[];
  /** The collector's 200 answer, for batch requests. */
  accepted: string[];
  duplicates: string[];
  failed: { id: string; reason: string }[];
}

/**
 * A network fault the proxy plays until `heal()`. Every fault applies to every request
 * (both batch paths), except `refuse`, which applies to connections.
 */
export type Fault =
  /** Nothing listens on the port: connections are refused. `heal()` listens again on the same port. */
  | { kind: 'refuse' }
  /** Accepts the request and never answers; a request hung before `heal()` stays hung after it. */
  | { kind: 'hang' }
  /** Forwards at once (the collector commits) and passes the answer on only after `delayMs`. */
  | { kind: 'late'; delayMs: number }
  /** Answers `status` itself, with `Retry-After: <retryAfter>` (seconds) unless it is null. */
  | { kind: 'status'; status: 500 | 503 | 429; retryAfter: number | null }
  /** Destroys the socket once part of the request body has arrived, before any answer. */
  | { kind: 'reset' }
  /** Forwards (the collector commits), then destroys the socket instead of answering. */
  | { kind: 'lose' }
  /** Answers 200 with an HTML body (a captive portal, a misrouted path); the collector sees nothing. */
  | { kind: 'not-json' }
  /**
   * Each request fails with probability `rate` (the proxy answers 500), the others are
   * forwarded. `seed` makes the draw repeatable.
   */
  | { kind: 'random'; rate: number; seed?: number };

/** A loopback HTTP proxy in front of the collector, with switches for network faults. */
export interface FaultProxy {
  /** Base URL to use as the page's `collectorUrl`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request seen since the start (or the last `resetLog()`), oldest first. */
  readonly log: readonly ProxiedRequest[];
  /** Requests seen per path since the start (or the last `resetLog()`). */
  count(path?: string): number;
  /** Requests per outcome since the start (or the last `resetLog()`), for `path` or all. */
  tally(path?: string): Record<ProxyOutcome, number>;
  /** Requests the proxy holds unanswered right now (`hang`, and `late` until their delay is over). */
  pending(): number;
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
  /** Plays `fault` from now until `heal()` (replacing any other switch). */
  fault(fault: Fault): Promise<void>;
  /**
   * Back to plain forwarding, listening again if the fault was `refuse`. Requests already
   * held (`hang`) stay held: healing the path does not answer them.
   */
  heal(): Promise<void>;
  /** `heal()` without waiting (kept for older tests). */
  restore(): void;
  close(): Promise<void>;
}

type Mode =
  | { kind: 'pass' }
  | { kind: 'cut' }
  | { kind: 'fail'; every: number; retryAfter: number | null; seen: Map<string, number> }
  | (Fault & { kind: Exclude<Fault['kind'], 'random'> })
  | { kind: 'random'; rate: number; next: () => number };

const OUTCOMES: readonly ProxyOutcome[] = ['forwarded', 'cut', 'failed', 'hung', 'late', 'reset', 'lost', 'not-json'];

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

/** mulberry32: a small seeded generator, so a random fault fails the same requests on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The CORS headers the collector sets, so the page can read an answer the proxy makes up. */
const cors = (request: IncomingMessage): OutgoingHttpHeaders => {
  const origin = request.headers.origin;
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' } : {};
};

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
  const held = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let listening = false;
  let closed = false;

  /** Sends the request on to the collector; resolves with its status, headers and body, or null when it is unreachable. */
  const upstreamAnswer = (request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; text: Buffer } | null> =>
    new Promise((resolve) => {
      const headers: IncomingHttpHeaders = { ...request.headers, host: upstream.host };
      const outgoing = forward({ hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers }, (answer) => {
        readBody(answer).then(
          (text) => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text }),
          () => resolve(null),
        );
      });
      outgoing.on('error', () => resolve(null));
      outgoing.end(body);
    });

  const hold = (socket: Socket): void => {
    held.add(socket);
    socket.once('close', () => held.delete(socket));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://proxy').pathname;
    const entry: ProxiedRequest = { method, path, at: Date.now(), outcome: 'forwarded', status: 0, sent: [], accepted: [], duplicates: [], failed: [] };
    log.push(entry);
    const current = mode;
    if (current.kind === 'cut') {
      entry.outcome = 'cut';
      request.socket.destroy();
      return;
    }
    if (current.kind === 'reset') {
      entry.outcome = 'reset';
      // The body has started to arrive (or there is none): drop the connection mid-request.
      request.once('data', () => request.socket.destroy());
      request.once('end', () => request.socket.destroy());
      return;
    }
    const isBatch = method === 'POST' && path.endsWith('/batch');
    if (current.kind === 'hang') {
      entry.outcome = 'hung';
      hold(request.socket);
      // Read the body (the page's upload completes and it waits for an answer), then nothing.
      const body = await readBody(request);
      if (isBatch) entry.sent = ids(parse(body)?.events);
      return;
    }
    const body = await readBody(request);
    if (isBatch) entry.sent = ids(parse(body)?.events);

    const answerItself = (status: number, retryAfter: number | null, text = JSON.stringify({ error: 'proxy fault' })): void => {
      entry.outcome = 'failed';
      entry.status = status;
      response.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        ...cors(request),
        ...(retryAfter !== null && { 'Retry-After': String(retryAfter) }),
      });
      response.end(text);
    };
    if (current.kind === 'fail' && isBatch) {
      const seen = (current.seen.get(path) ?? 0) + 1;
      current.seen.set(path, seen);
      if ((seen - 1) % current.every === 0) return answerItself(503, current.retryAfter, JSON.stringify({ error: 'storage unavailable' }));
    }
    if (current.kind === 'status') return answerItself(current.status, current.retryAfter);
    if (current.kind === 'random' && current.next() < current.rate) return answerItself(500, null);
    if (current.kind === 'not-json') {
      entry.outcome = 'not-json';
      entry.status = 200;
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...cors(request) });
      response.end('<!doctype html><title>Sign in to the network</title><p>Please accept the terms.</p>');
      return;
    }

    // An event stream is passed on as it comes (buffering it would hold every event back);
    // only while no fault plays: the faults above apply to it like to any request.
    if (current.kind === 'pass' && method === 'GET' && path.endsWith('/events')) {
      const outgoing = forward({ hostname: upstream.hostname, port: upstream.port, method, path: request.url, headers: { ...request.headers, host: upstream.host } }, (answer) => {
        entry.status = answer.statusCode ?? 0;
        response.writeHead(entry.status, answer.headers);
        answer.pipe(response);
      });
      outgoing.on('error', () => request.socket.destroy());
      response.on('close', () => outgoing.destroy());
      outgoing.end(body);
      return;
    }
    if (current.kind === 'late') hold(request.socket);
    const answer = await upstreamAnswer(request, body);
    if (answer === null) {
      // The collector is gone: pass that on as a network error.
      request.socket.destroy();
      return;
    }
    entry.status = answer.status;
    if (isBatch && answer.status === 200) {
      const parsed = parse(answer.text);
      entry.accepted = ids(parsed?.accepted);
      entry.duplicates = ids(parsed?.duplicates);
      entry.failed = Array.isArray(parsed?.failed) ? (parsed.failed as { id: string; reason: string }[]) : [];
    }
    if (current.kind === 'lose') {
      entry.outcome = 'lost';
      request.socket.destroy();
      return;
    }
    const reply = (): void => {
      if (!response.destroyed) response.writeHead(answer.status, answer.headers).end(answer.text);
    };
    if (current.kind === 'late') {
      entry.outcome = 'late';
      const timer = setTimeout(() => {
        timers.delete(timer);
        held.delete(request.socket);
        reply();
      }, current.delayMs);
      timers.add(timer);
      return;
    }
    reply();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  await listen(0);
  server.unref();
  const { port } = server.address() as AddressInfo;

  /** Stops listening (new connections are refused) and drops the open ones, as a dead host does. */
  const refuse = (): Promise<void> => {
    if (!listening) return Promise.resolve();
    listening = false;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return stopped;
  };

  const setMode = async (next: Mode): Promise<void> => {
    mode = next;
    if (next.kind === 'refuse') await refuse();
    else if (!listening && !closed) await listen(port);
  };

  let closing: Promise<void> | undefined;
  const failEvery = (n: number, retryAfter: number | null = 1): void => {
    void setMode({ kind: 'fail', every: Math.max(1, Math.floor(n)), retryAfter, seen: new Map() });
  };
  const heal = (): Promise<void> => setMode({ kind: 'pass' });
  const entries = (path?: string): ProxiedRequest[] => (path === undefined ? log : log.filter((entry) => entry.path === path));
  return {
    url: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    count: (path) => entries(path).length,
    tally(path) {
      const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<ProxyOutcome, number>;
      for (const entry of entries(path)) counts[entry.outcome]++;
      return counts;
    },
    pending: () => held.size,
    resetLog() {
      log = [];
    },
    cut() {
      void setMode({ kind: 'cut' });
      // Open keep-alive connections go down with the network, too.
      for (const socket of sockets) socket.destroy();
    },
    failEvery,
    failHalf: (retryAfter = 1) => failEvery(2, retryAfter),
    fault(fault) {
      if (fault.kind === 'random') {
        return setMode({ kind: 'random', rate: fault.rate, next: fault.seed === undefined ? Math.random : seeded(fault.seed) });
      }
      return setMode(fault);
    },
    heal,
    restore() {
      void heal();
    },
    close() {
      closed = true;
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        if (listening) server.close(() => resolve());
        else resolve();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
