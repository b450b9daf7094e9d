import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite's hashed file names (`assets/dashboard-nZqX8jHB.js`): their content never changes. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** A built folder served under a URL prefix. */
export interface StaticFolderOptions {
  /** The URL prefix, ending with `/` (`/dashboard/`, or `/` for a whole origin). */
  prefix: string;
  /** The folder. */
  dir: string;
  /** The file the prefix itself answers with (`dashboard.html`). */
  indexFile: string;
  /** The 503's line when the folder does not exist: what to run to build it. */
  notBuilt: string;
  /**
   * Headers of an HTML answer besides the content type, caching and `nosniff` (its
   * Content-Security-Policy, for one): per request, so they may depend on the query.
   */
  htmlHeaders(request: FastifyRequest): Record<string, string> | Promise<Record<string, string>>;
}

/** The file under `root` for a URL path below the prefix, or null when it would leave `root`. */
export function resolveFolderFile(root: string, relativePath: string, indexFile: string): string | null {
  if (relativePath.includes('\0') || relativePath.includes('\\')) return null;
  const target = resolve(root, `.${sep}${relativePath === '' ? indexFile : relativePath}`);
  return target.startsWith(root + sep) ? target : null;
}

/**
 * A weak validator from a file's size and modification time: a rebuild changes it, while
 * reading the file to hash it on every request is not needed.
 */
export function weakEtag(info: { size: number; mtimeMs: number }): string {
  return `W/"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
}

const notFound = (reply: FastifyReply): FastifyReply => reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');

/**
 * Serves a static build (`GET <prefix>*`) with node:fs:
 *
 * 1. The path is resolved and must stay inside the folder (no traversal, no NUL, no
 *    backslash, no symbolic link leading out); only regular files are served, with their
 *    content type and `nosniff`.
 * 2. HTML gets `Cache-Control: no-cache` and the options' `htmlHeaders`; hashed assets are
 *    `immutable` for a year; every file has a weak ETag (size and mtime) for 304s. An HTML
 *    answer whose headers depend on the request sends no ETag: a 304 would keep old headers.
 * 3. Without a build, every URL answers 503 with the `notBuilt` line.
 */
export function registerStaticFolder(app: FastifyInstance, options: StaticFolderOptions): void {
  const root = resolve(options.dir);
  app.get<{ Params: { '*': string } }>(`${options.prefix}*`, async (request, reply) => {
    const rootInfo = await stat(root).catch(() => null);
    if (!rootInfo?.isDirectory()) {
      return reply.code(503).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(`${options.notBuilt}\n`);
    }
    const relativePath = request.params['*'];
    const file = resolveFolderFile(root, relativePath, options.indexFile);
    if (file === null) return notFound(reply);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(reply);
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return notFound(reply);
    const extension = extname(file).toLowerCase();
    reply.header('X-Content-Type-Options', 'nosniff').type(CONTENT_TYPES[extension] ?? 'application/octet-stream');
    if (extension === '.html') {
      reply.header('Cache-Control', 'no-cache').headers(await options.htmlHeaders(request));
      return reply.send(await readFile(realFile));
    }
    reply.header('Cache-Control', HASHED_ASSET.test(relativePath) ? 'public, max-age=31536000, immutable' : 'no-cache');
    const etag = weakEtag(info);
    reply.header('ETag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(await readFile(realFile));
  });
}
