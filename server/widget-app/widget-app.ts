import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { isWidgetId } from '../../lib/protocol/collector';
import type { WidgetDocument } from '../../lib/protocol/widget-document';
import { DIST_FOLDER } from '../static/dist-folder';
import { registerStaticFolder, weakEtag } from '../static/static-folder';
import { frameAncestorsPolicy, NO_WIDGET_POLICY } from './frame-ancestors';

/** How long a client waits before asking again when the registry cannot be read (seconds). */
export const REGISTRY_RETRY_AFTER_SECONDS = 5;

/**
 * How long a browser or CDN may use `embed.js` without asking again (seconds). Its URL is not
 * versioned (customers paste it into their pages once), so a release reaches every page within
 * this time; after it, a revalidation with the ETag costs a 304 unless the file changed.
 */
export const DEFAULT_EMBED_MAX_AGE_SECONDS = 300;

/** Options of {@link createWidgetApp}. */
export interface WidgetAppOptions {
  /**
   * The built widget app.
   * @default dist/widget
   */
  dir?: string;
  /**
   * The built embed script, served at `/embed.js`; `null`: not served.
   * @default dist/embed.js
   */
  embedFile?: string | null;
  /**
   * `Cache-Control: public, max-age=<this>` of `embed.js` (seconds); `0` makes every use revalidate.
   * @default 300 ({@link DEFAULT_EMBED_MAX_AGE_SECONDS})
   */
  embedMaxAgeSeconds?: number;
  /**
   * Reads a widget's document from the registry, `null` when unregistered; give a briefly
   * cached reader (every `widget.html` asks). Absent: every widget counts as unregistered.
   */
  getWidget?: (widgetId: string) => Promise<WidgetDocument | null>;
  /**
   * Unregistered widgets may not be framed anywhere (`FRAMEWIRE_REQUIRE_REGISTRATION`).
   * @default false
   */
  requireRegistration?: boolean;
  /** @default 'warn' */
  logLevel?: string;
}

/**
 * The widget app's server: the built app (`widget.html` and its assets) and the embed
 * script, on the widget's own origin.
 *
 * 1. `GET /widget.html?widgetId=<id>` carries `Content-Security-Policy: frame-ancestors …`
 *    from that widget's `allowedOrigins` (see {@link frameAncestorsPolicy}); no valid id:
 *    `frame-ancestors 'none'`.
 * 2. When the registry cannot be read, `widget.html` answers 503 with `Retry-After` rather
 *    than guess a policy.
 * 3. Assets: see `registerStaticFolder` (hashed files immutable, the rest `no-cache`).
 * 4. `GET /embed.js`: `Cache-Control: public, max-age=300` (`embedMaxAgeSeconds`) and a weak
 *    ETag, `If-None-Match` answered 304; 503 while it is not built.
 */
export function createWidgetApp(options: WidgetAppOptions = {}): FastifyInstance {
  const app = Fastify({ logger: { level: options.logLevel ?? 'warn' } });
  const requireRegistration = options.requireRegistration ?? false;
  const getWidget = options.getWidget ?? (async () => null);

  const embedFile = options.embedFile === undefined ? join(DIST_FOLDER, 'embed.js') : options.embedFile;
  const embedCaching = `public, max-age=${options.embedMaxAgeSeconds ?? DEFAULT_EMBED_MAX_AGE_SECONDS}`;
  if (embedFile !== null) {
    app.get('/embed.js', async (request, reply) => {
      const notBuilt = () =>
        reply.removeHeader('ETag').code(503).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send('The embed script is not built: run `npm run build`.\n');
      const info = await stat(embedFile).catch(() => null);
      if (!info?.isFile()) return notBuilt();
      const etag = weakEtag(info);
      reply.header('Cache-Control', embedCaching).header('ETag', etag).header('X-Content-Type-Options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const script = await readFile(embedFile).catch(() => null);
      if (script === null) return notBuilt();
      return reply.type('text/javascript; charset=utf-8').send(script);
    });
  }

  registerStaticFolder(app, {
    prefix: '/',
    dir: options.dir ?? join(DIST_FOLDER, 'widget'),
    indexFile: 'widget.html',
    notBuilt: 'The widget app is not built: run `npm run build` and reload.',
    htmlHeaders: async (request) => {
      const { widgetId } = request.query as { widgetId?: unknown };
      if (!isWidgetId(widgetId)) return { 'Content-Security-Policy': NO_WIDGET_POLICY };
      // A failed read throws: the error handler below answers 503.
      return { 'Content-Security-Policy': frameAncestorsPolicy(await getWidget(widgetId), requireRegistration) };
    },
  });

  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'widget app: cannot read the widget registry');
    return reply
      .code(503)
      .header('Retry-After', String(REGISTRY_RETRY_AFTER_SECONDS))
      .header('Cache-Control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send('The widget is unavailable for a moment.\n');
  });
  return app;
}

/** A listening widget app. */
export interface RunningWidgetApp {
  /** `http://<host>:<port>` */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts {@link createWidgetApp} on `host:port` (`port: 0` picks a free one). */
export async function startWidgetApp(options: WidgetAppOptions & { host?: string; port?: number } = {}): Promise<RunningWidgetApp> {
  const app = createWidgetApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
