import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startStaticServer } from './static-server';
import type { RunningServer } from './static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(ROOT, 'dist');

export interface DemoOptions {
  /** @default 0 (a free port) */
  hostPort?: number;
  /** @default 0 (a free port) */
  widgetPort?: number;
  /** The collector's base URL, passed to the embed script as `collectorUrl`. */
  collectorUrl?: string | undefined;
  /** Extra `framewire('init')` options, e.g. `{ debug: true }`. */
  init?: Record<string, unknown>;
}

export interface RunningDemo {
  /** The host page, `http://localhost:<port>/`. */
  readonly hostUrl: string;
  /** The widget origin, `http://127.0.0.1:<port>`. */
  readonly widgetOrigin: string;
  close(): Promise<void>;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function escapeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Serves the built widget (`dist/`) on `127.0.0.1:<widgetPort>` and the demo host page on
 * `localhost:<hostPort>`: two origins, as in production.
 */
export async function startDemoServers(options: DemoOptions = {}): Promise<RunningDemo> {
  const servers: RunningServer[] = [];
  const closeAll = async (): Promise<void> => void (await Promise.all(servers.map((server) => server.close())));
  try {
    const widget = await startStaticServer({
      port: options.widgetPort ?? 0,
      mounts: { '/': resolve(DIST, 'widget') },
      files: { '/embed.js': resolve(DIST, 'embed.js') },
    });
    servers.push(widget);
    const widgetOrigin = `http://127.0.0.1:${widget.port}`;
    const template = await readFile(resolve(import.meta.dirname, 'host.html'), 'utf8');
    const init = {
      widgetId: 'demo',
      widgetUrl: `${widgetOrigin}/widget.html`,
      ...(options.collectorUrl ? { collectorUrl: options.collectorUrl } : {}),
      ...options.init,
    };
    const page = template
      .replaceAll('%WIDGET_ORIGIN%', widgetOrigin)
      .replace('%INIT_CONFIG%', escapeForScript(init))
      .replace(
        '%COLLECTOR_NOTE%',
        options.collectorUrl
          ? `Events go to the collector at <code>${options.collectorUrl}</code>. To watch the offline click queue, ` +
              `open the <a href="/widget-offline-test.html?${new URLSearchParams({ widget: widgetOrigin, collector: options.collectorUrl })}">offline test page</a>. ` +
              `See what they add up to on the collector's <a href="${new URL('/dashboard/', options.collectorUrl).href}">analytics dashboard</a> ` +
              `(sign in with the widget id <code>${escapeHtml(String(init.widgetId))}</code> and the API key <code>npm start</code> printed, ` +
              `or one of <code>FRAMEWIRE_API_KEYS</code>).`
          : '',
      );
    const host = await startStaticServer({
      port: options.hostPort ?? 0,
      mounts: {},
      // The manual offline test page (seed 000), on the host origin like any customer page.
      files: { '/widget-offline-test.html': resolve(ROOT, 'examples/widget-offline-test.html') },
      routes: [
        (request, response) => {
          const path = new URL(request.url ?? '/', 'http://local').pathname;
          if (path !== '/' && path !== '/index.html') return false;
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
          return true;
        },
      ],
    });
    servers.push(host);
    return { hostUrl: `http://localhost:${host.port}/`, widgetOrigin, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
