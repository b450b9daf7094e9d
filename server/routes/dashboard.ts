import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:dashboard` writes the dashboard. */
export const DEFAULT_DASHBOARD_DIR = resolve(import.meta.dirname, '../../dist/dashboard');

/** The page the folder's root answers with. */
const INDEX_FILE = 'dashboard.html';

/**
 * The page's policy: its own scripts and styles only (uPlot and React set inline styles, hence
 * `'unsafe-inline'` for styles alone), the read API on the same origin, no framing (the page holds
 * an API key) and no native form posts (the key never leaves in a form or a URL).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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

/** Options of {@link registerDashboardRoutes}. */
export interface DashboardRouteOptions {
  /**
   * The built dashboard.
   * @default dist/dashboard (next to server/)
   */
  dir?: string;
}

/** The file under `root` for a URL path below `/dashboard/`, or null when it would leave `root`. */
export function resolveDashboardFile(root: string, relativePath: string): string | null {
  if (relativePath.includes('\0') || relativePath.includes('\\')) return null;
  const target = resolve(root, `.${sep}${relativePath === '' ? INDEX_FILE : relativePath}`);
  return target.startsWith(root + sep) ? target : null;
}

const notFound = (reply: FastifyReply): FastifyReply => reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');

/**
 * Serves the analytics dashboard (a static build; the collector never imports React):
 *
 * 1. `GET /dashboard` redirects to `/dashboard/`, so the page's relative asset URLs resolve.
 * 2. `GET /dashboard/*` reads the file from the build folder with node:fs: the path is
 *    resolved and must stay inside the folder (no traversal, no NUL, no backslash), and only
 *    regular files are served, with their content type and `nosniff`.
 * 3. The HTML gets `Cache-Control: no-cache` and the strict {@link DASHBOARD_CSP}; hashed assets
 *    are `immutable` for a year; every file has a weak ETag (size and mtime) for 304s.
 * 4. Without a build, every dashboard URL answers 503 with one line saying what to run.
 */
export function registerDashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions = {}): void {
  const root = resolve(options.dir ?? DEFAULT_DASHBOARD_DIR);

  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 301));

  app.get<{ Params: { '*': string } }>('/dashboard/*', async (request, reply) => {
    const rootInfo = await stat(root).catch(() => null);
    if (!rootInfo?.isDirectory()) {
      return reply
        .code(503)
        .header('Cache-Control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build` (or `npm run build:dashboard`) and reload.\n');
    }
    const relativePath = request.params['*'];
    const file = resolveDashboardFile(root, relativePath);
    if (file === null) return notFound(reply);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(reply);
    // A symbolic link inside the folder must not lead out of it either.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return notFound(reply);
    const etag = `W/"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
    const extension = extname(file).toLowerCase();
    reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer').type(CONTENT_TYPES[extension] ?? 'application/octet-stream');
    if (extension === '.html') {
      reply.header('Cache-Control', 'no-cache').header('Content-Security-Policy', DASHBOARD_CSP).header('X-Frame-Options', 'DENY');
    } else if (HASHED_ASSET.test(relativePath)) {
      reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    } else {
      reply.header('Cache-Control', 'no-cache');
    }
    reply.header('ETag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(await readFile(realFile));
  });
}
