/**
 * How a strict host page lets scripts run; the three ways docs/SECURITY.md describes.
 * - `nonce-strict-dynamic`: the page's scripts carry a nonce; scripts they insert (the
 *   snippet's `embed.js`) are trusted through `'strict-dynamic'`.
 * - `nonce`: nonces only; `embed.js` runs because the snippet passes its nonce on.
 * - `allowlist`: no nonces; the page's own scripts are files on its origin (`'self'`), the
 *   snippet included, and `embed.js` is allowed by the widget's origin.
 */
export type StrictScriptPolicy = 'nonce-strict-dynamic' | 'nonce' | 'allowlist';

/** The strict host pages the demo serves on the host origin, by path. */
export const STRICT_PAGES = {
  '/strict.html': 'nonce-strict-dynamic',
  '/strict-nonce.html': 'nonce',
  '/strict-allowlist.html': 'allowlist',
} as const satisfies Record<string, StrictScriptPolicy>;

export type StrictPagePath = keyof typeof STRICT_PAGES;

/** Where the `allowlist` page loads the snippet from (a file on the host origin). */
export const SNIPPET_FILE_PATH = '/framewire-snippet.js';

export interface StrictCspInput {
  script: StrictScriptPolicy;
  /** A fresh one per response; unused by `allowlist`. */
  nonce: string;
  widgetOrigin: string;
  /** Without a collector the page may connect nowhere. */
  collectorOrigin: string | undefined;
}

/**
 * The page's Content-Security-Policy: exactly what framewire needs and nothing else. No
 * `'unsafe-inline'` anywhere: styles only from the page's own origin, scripts only by nonce
 * or allowlist, frames only from the widget's origin, connections only to the collector.
 */
export function strictCsp({ script, nonce, widgetOrigin, collectorOrigin }: StrictCspInput): string {
  const scriptSources: Record<StrictScriptPolicy, string> = {
    'nonce-strict-dynamic': `'nonce-${nonce}' 'strict-dynamic'`,
    nonce: `'nonce-${nonce}'`,
    allowlist: `'self' ${widgetOrigin}`,
  };
  return [
    `script-src ${scriptSources[script]}`,
    "style-src 'self'",
    `frame-src ${widgetOrigin}`,
    `connect-src ${collectorOrigin ?? "'none'"}`,
  ].join('; ');
}

const SNIPPET_EMBED_URL = "'https://widget.example.com/embed.js'";
const SNIPPET_INIT = /framewire\('init', \{[\s\S]*?\}\);/;

/**
 * The script of `embed/snippet.html`, verbatim but for the embed script's URL and the init
 * config, so the strict pages prove the published snippet itself. `quote` turns a value
 * into a JavaScript literal safe inside `<script>`.
 */
export function snippetScript(snippetHtml: string, embedUrl: string, init: unknown, quote: (value: unknown) => string): string {
  const body = /<script>([\s\S]*?)<\/script>/.exec(snippetHtml)?.[1];
  if (body === undefined || !body.includes(SNIPPET_EMBED_URL) || !SNIPPET_INIT.test(body)) {
    throw new Error('embed/snippet.html no longer has the script the demo expects.');
  }
  // Replacer functions: a `$` in the config must not be read as a replacement pattern.
  return body.replace(SNIPPET_EMBED_URL, () => quote(embedUrl)).replace(SNIPPET_INIT, () => `framewire('init', ${quote(init)});`);
}
