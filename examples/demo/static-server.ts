import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Answers a request itself (returns true) or leaves it to the static files. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

export interface StaticServerOptions {
  /** URL path prefix -> folder, e.g. `{ '/': 'dist/widget' }`. Longest prefix wins. */
  mounts: Record<string, string>;
  /** Single files, e.g. `{ '/embed.js': 'dist/embed.js' }`. */
  files?: Record<string, string>;
  routes?: RouteHandler[];
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' (loopback only) */
  host?: string;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

async function sendFile(response: ServerResponse, path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return false;
  response.writeHead(200, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-store',
  });
  createReadStream(path).pipe(response);
  return true;
}

/** Finds the file for a URL path inside a mount, refusing anything that escapes it. */
function locate(mounts: Record<string, string>, pathname: string): string | null {
  const prefix = Object.keys(mounts)
    .filter((candidate) => pathname.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return null;
  const base = resolve(mounts[prefix] as string);
  const target = resolve(base, normalize(decodeURIComponent(pathname.slice(prefix.length))).replace(/^([/\\])+/, ''));
  return target === base || target.startsWith(base + sep) ? target : null;
}

/** A small static file server for the demo and the browser tests. */
export function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://local').pathname;
    if (options.routes?.some((route) => route(request, response))) return;
    const file = options.files?.[pathname] ?? locate(options.mounts, pathname);
    (file === null ? Promise.resolve(false) : sendFile(response, file))
      .then((sent) => {
        if (!sent) response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      })
      .catch(() => response.writeHead(500).end());
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      resolveStart({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
