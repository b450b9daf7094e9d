import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SNIPPET_FILE_PATH, STRICT_PAGES, snippetScript, strictCsp } from './strict-pages';
import type { StrictScriptPolicy } from './strict-pages';
import { startWidgetApp } from '../../server/widget-app';
import type { WidgetAppOptions } from '../../server/widget-app';
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
  /**
   * The registry's cached reader (`startCollector(…).widgets.getWidget`): the widget origin
   * then serves `widget.html` with each widget's `frame-ancestors`. Absent: every widget
   * counts as unregistered (any page may frame it).
   */
  getWidget?: WidgetAppOptions['getWidget'];
  /** Unregistered widgets may not be framed (`FRAMEWIRE_REQUIRE_REGISTRATION`). @default false */
  requireRegistration?: boolean;
}

export interface RunningDemo {
  /** The host page, `http://localhost:<port>/`. */
  readonly hostUrl: string;
  /**
   * The same page under `Referrer-Policy: no-referrer` and a strict Content-Security-Policy
   * (nonce + `'strict-dynamic'`), `http://localhost:<port>/strict.html`. The variants with
   * nonces only and with an allowlist are beside it (`STRICT_PAGES`).
   */
  readonly strictHostUrl: string;
  /** The widget origin, `http://127.0.0.1:<port>`. */
  readonly widgetOrigin: string;
  /**
   * The host page on another origin, `http://127.0.0.1:<hostPort>/` (the same server): a site
   * a registered widget's `allowedOrigins` does not list.
   */
  readonly otherHostUrl: string;
  close(): Promise<void>;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function escapeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The host page's paragraph about the collector (links to the offline test page and the dashboard). */
function collectorNoteOf(collectorUrl: string | undefined, widgetOrigin: string, widgetId: string): string {
  if (!collectorUrl) return '';
  return (
    `Events go to the collector at <code>${collectorUrl}</code>. To watch the offline click queue, ` +
    `open the <a href="/widget-offline-test.html?${new URLSearchParams({ widget: widgetOrigin, collector: collectorUrl })}">offline test page</a>. ` +
    `See what they add up to on the collector's <a href="${new URL('/dashboard/', collectorUrl).href}">analytics dashboard</a> ` +
    `(sign in with the API key <code>npm start</code> printed, or one of <code>FRAMEWIRE_API_KEYS</code>, ` +
    `and pick the widget <code>${escapeHtml(widgetId)}</code>); its <strong>Editor</strong> tab edits what the widget shows ` +
    `and on which sites it may run.`
  );
}

/**
 * Serves the built widget (`dist/`) on `127.0.0.1:<widgetPort>` and the demo host page on
 * `localhost:<hostPort>`: two origins, as in production. The host origin also serves the
 * strict pages (`STRICT_PAGES`): the same page under `Referrer-Policy: no-referrer` and a
 * strict Content-Security-Policy with a fresh nonce per response.
 */
export async function startDemoServers(options: DemoOptions = {}): Promise<RunningDemo> {
  const servers: RunningServer[] = [];
  const closeAll = async (): Promise<void> => void (await Promise.all(servers.map((server) => server.close())));
  try {
    // The widget origin as in production: the widget app's server, with frame-ancestors.
    const widget = await startWidgetApp({
      port: options.widgetPort ?? 0,
      dir: resolve(DIST, 'widget'),
      embedFile: resolve(DIST, 'embed.js'),
      // Revalidated at every use (its ETag makes that a 304): a rebuild shows at the next reload.
      embedMaxAgeSeconds: 0,
      ...(options.getWidget ? { getWidget: options.getWidget } : {}),
      requireRegistration: options.requireRegistration ?? false,
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
    const collectorNote = collectorNoteOf(options.collectorUrl, widgetOrigin, String(init.widgetId));
    const page = template
      .replaceAll('%WIDGET_ORIGIN%', widgetOrigin)
      .replace('%INIT_CONFIG%', () => escapeForScript(init))
      .replace('%COLLECTOR_NOTE%', () => collectorNote);
    const snippet = snippetScript(
      await readFile(resolve(ROOT, 'embed/snippet.html'), 'utf8'),
      `${widgetOrigin}/embed.js`,
      init,
      escapeForScript,
    );
    const strictTemplate = (await readFile(resolve(import.meta.dirname, 'strict.html'), 'utf8')).replace(
      '%COLLECTOR_NOTE%',
      () => collectorNote,
    );
    const collectorOrigin = options.collectorUrl === undefined ? undefined : new URL(options.collectorUrl).origin;
    /** One response of a strict page: a fresh nonce, the policy that names it, the page that carries it. */
    const strictPage = (script: StrictScriptPolicy): { headers: Record<string, string>; body: string } => {
      const nonce = randomBytes(16).toString('base64');
      const csp = strictCsp({ script, nonce, widgetOrigin, collectorOrigin });
      const usesNonce = script !== 'allowlist';
      const body = strictTemplate
        .replace('%NONCE_ATTRIBUTE%', usesNonce ? ` nonce="${nonce}"` : '')
        .replace('%SCRIPT_POLICY%', () => escapeHtml(script))
        .replace('%CSP%', () => escapeHtml(csp))
        .replace('%SNIPPET%', () =>
          usesNonce ? `<script nonce="${nonce}">${snippet}</script>` : `<script src="${SNIPPET_FILE_PATH}"></script>`,
        );
      return { headers: { 'Content-Security-Policy': csp, 'Referrer-Policy': 'no-referrer' }, body };
    };
    const host = await startStaticServer({
      port: options.hostPort ?? 0,
      mounts: {},
      files: {
        // The manual offline test page (seed 000), on the host origin like any customer page.
        '/widget-offline-test.html': resolve(ROOT, 'examples/widget-offline-test.html'),
        '/host.css': resolve(import.meta.dirname, 'host.css'),
        '/strict-page.js': resolve(import.meta.dirname, 'strict-page.js'),
      },
      routes: [
        (request, response) => {
          const path = new URL(request.url ?? '/', 'http://local').pathname;
          const send = (type: string, body: string, headers: Record<string, string> = {}): true => {
            response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers }).end(body);
            return true;
          };
          if (path === '/' || path === '/index.html') return send('text/html; charset=utf-8', page);
          if (path === SNIPPET_FILE_PATH) return send('text/javascript; charset=utf-8', snippet);
          if (!Object.hasOwn(STRICT_PAGES, path)) return false;
          const { headers, body } = strictPage(STRICT_PAGES[path as keyof typeof STRICT_PAGES]);
          return send('text/html; charset=utf-8', body, headers);
        },
      ],
    });
    servers.push(host);
    const hostUrl = `http://localhost:${host.port}/`;
    return {
      hostUrl,
      strictHostUrl: new URL('/strict.html', hostUrl).href,
      otherHostUrl: `http://127.0.0.1:${host.port}/`,
      widgetOrigin,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
