import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DIST_FOLDER } from '../static/dist-folder';
import { registerStaticFolder } from '../static/static-folder';

/** Where `npm run build:dashboard` writes the dashboard. */
export const DEFAULT_DASHBOARD_DIR = join(DIST_FOLDER, 'dashboard');

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

/** Options of {@link registerDashboardRoutes}. */
export interface DashboardRouteOptions {
  /**
   * The built dashboard.
   * @default dist/dashboard (next to server/)
   */
  dir?: string;
}

/**
 * Serves the analytics dashboard (a static build; the collector never imports React):
 *
 * 1. `GET /dashboard` redirects to `/dashboard/`, so the page's relative asset URLs resolve.
 * 2. `GET /dashboard/*` serves the build folder (see `registerStaticFolder`: no traversal,
 *    content types, `nosniff`, hashed assets immutable, ETags).
 * 3. The HTML gets the strict {@link DASHBOARD_CSP}, `X-Frame-Options: DENY` and
 *    `Referrer-Policy: no-referrer`.
 * 4. Without a build, every dashboard URL answers 503 with one line saying what to run.
 */
export function registerDashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions = {}): void {
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 301));
  registerStaticFolder(app, {
    prefix: '/dashboard/',
    dir: options.dir ?? DEFAULT_DASHBOARD_DIR,
    indexFile: INDEX_FILE,
    notBuilt: 'The dashboard is not built: run `npm run build` (or `npm run build:dashboard`) and reload.',
    htmlHeaders: () => ({ 'Content-Security-Policy': DASHBOARD_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' }),
  });
}
