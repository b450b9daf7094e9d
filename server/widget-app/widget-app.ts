import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { isWidgetId } from '../../lib/protocol/collector';
import type { WidgetDocument } from '../../lib/protocol/widget-document';
import { registerStaticFolder } from '../static/static-folder';
import { frameAncestorsPolicy, NO_WIDGET_POLICY } from './frame-ancestors';

const DIST = resolve(import.meta.dirname, '../../dist');

/** How long a client waits before asking again when the registry cannot be read (seconds). */
export const REGISTRY_RETRY_AFTER_SECONDS = 5;

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
 */
export function createWidgetApp(options: WidgetAppOptions = {}): FastifyInstance {
  const app = Fastify({ logger: { level: options.logLevel ?? 'warn' } });
  const requireRegistration = options.requireRegistration ?? false;
  const getWidget = options.getWidget ?? (async () => null);

  const embedFile = options.embedFile === undefined ? resolve(DIST, 'embed.js') : options.embedFile;
  if (embedFile !== null) {
    app.get('/embed.js', async (_request, reply) => {
      const script = await readFile(embedFile).catch(() => null);
      if (script === null) return reply.code(503).type('text/plain; charset=utf-8').send('The embed script is not built: run `npm run build`.\n');
      return reply.header('Cache-Control', 'no-cache').header('X-Content-Type-Options', 'nosniff').type('text/javascript; charset=utf-8').send(script);
    });
  }

  registerStaticFolder(app, {
    prefix: '/',
    dir: options.dir ?? resolve(DIST, 'widget'),
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
