import type { HostMethodArgs } from '../protocol/host-api';
import { MAX_UNREAD_SHOWN } from '../protocol/message-tables';
import type { ResolvedEmbedConfig } from './config';
import { styleShadowRoot } from './styles';

/**
 * What the widget's iframe may do, deliberately (see docs/SECURITY.md):
 * - `allow-scripts`: the widget is an app.
 * - `allow-same-origin`: keeps the widget on its own origin; without it the origin is
 *   opaque (`null`) and the origin checks of the handshake could not work. Safe because
 *   the widget is served from another origin than the host.
 * - `allow-forms`: the chat input is a form.
 * - `allow-popups` + `allow-popups-to-escape-sandbox`: offers open in a new tab as normal
 *   pages.
 * Not granted: top navigation (the widget cannot redirect the host page), modals, pointer
 * lock, downloads, presentation.
 */
export const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

/** What the widget may change of what the host draws (`setAppearance`). */
export type Appearance = HostMethodArgs<'setAppearance'>[0];

export interface WidgetFrame {
  readonly iframe: HTMLIFrameElement;
  /** Puts the launcher and the iframe into the page; the iframe starts loading. */
  attach(): void;
  /**
   * The launcher's colour (and its shadow's tint), its accessible name and the iframe's
   * title, and the corner of both. Called with `init`'s `position` and `title` at first,
   * then with the widget's configured theme. The arguments are checked by the call gate
   * (`HOST_METHOD_ARGS.setAppearance`): the colour is `#rrggbb`, so nothing but a colour
   * reaches the stylesheet.
   */
  setAppearance(appearance: Appearance): void;
  /**
   * The unread replies the widget reports (`setUnread`, checked by the call gate): a badge
   * on the launcher with the count (`99+` past {@link MAX_UNREAD_SHOWN}), hidden at 0, and
   * the launcher's accessible name says it.
   */
  setUnread(count: number): void;
  open(): void;
  close(): void;
  isOpen(): boolean;
  /** Removes every element and listener it added. */
  destroy(): void;
}

// Applied by a stylesheet, never as inline styles: see styleShadowRoot. Neither sets
// `display` on the iframe, so its `hidden` attribute keeps hiding it.
// One z-index for both: the launcher comes later in the shadow root, so it paints on top.
// The colour and the corner are added by `setAppearance`.
const FIXED = 'position:fixed;border:0;z-index:2147483000;';
const PANEL_STYLE =
  FIXED +
  'bottom:88px;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 120px));' +
  'border-radius:16px;box-shadow:0 12px 40px #0f172a40;background:#fff;';
const LAUNCHER_STYLE =
  FIXED +
  'bottom:20px;width:56px;height:56px;border-radius:50%;cursor:pointer;padding:0;display:grid;place-items:center;' +
  'color:#fff;';
// The launcher is `position:fixed`, so the badge sits on its corner, white on red (the
// launcher's `color`). No `display` here: the badge's `hidden` attribute hides it.
const BADGE_STYLE =
  'position:absolute;top:-4px;right:-4px;min-width:10px;padding:0 5px;border-radius:10px;background:#dc2626;font:600 12px/20px sans-serif;text-align:center;';

/** The launcher's colour until the widget applies its theme (the registry's default theme's). */
export const DEFAULT_ACCENT_COLOR = '#4f46e5';

const SVG_NS = 'http://www.w3.org/2000/svg';
const CHAT_ICON_PATH = 'M4 4h16a2 2 0 012 2v10a2 2 0 01-2 2H9l-5 4v-4a2 2 0 01-2-2V6a2 2 0 012-2z';

/**
 * The launcher's chat icon, an inline SVG (an emoji depends on the visitor's fonts). Built
 * element by element, not with `innerHTML`: pages that enforce Trusted Types
 * (`require-trusted-types-for 'script'`) refuse a plain string there.
 */
function chatIcon(doc: Document): SVGSVGElement {
  const icon = doc.createElementNS(SVG_NS, 'svg');
  const attributes = { viewBox: '0 0 24 24', width: '26', height: '26', fill: 'currentColor', 'aria-hidden': 'true' };
  for (const [name, value] of Object.entries(attributes)) icon.setAttribute(name, value);
  const path = doc.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', CHAT_ICON_PATH);
  icon.append(path);
  return icon;
}

/**
 * The iframe URL: the widget app with its id, the host origin, the collector the widget
 * fetches its configuration from (when the page set one) and the debug switch.
 */
export function widgetFrameUrl(config: ResolvedEmbedConfig, hostOrigin: string): string {
  const url = new URL(config.widgetUrl);
  url.searchParams.set('widgetId', config.widgetId);
  url.searchParams.set('host', hostOrigin);
  if (config.collectorUrl) url.searchParams.set('collectorUrl', config.collectorUrl);
  if (config.debug) url.searchParams.set('debug', '1');
  return url.toString();
}

/**
 * Builds the launcher button and the widget iframe inside a shadow root, so the host
 * page's CSS cannot restyle them and theirs cannot leak into the page. No inline styles:
 * it works under a host CSP without `'unsafe-inline'` in `style-src`.
 */
export function createWidgetFrame(doc: Document, config: ResolvedEmbedConfig, hostOrigin: string): WidgetFrame {
  const root = doc.createElement('div');
  root.setAttribute('data-framewire', config.widgetId);
  const shadow = root.attachShadow({ mode: 'open' });

  const iframe = doc.createElement('iframe');
  iframe.id = `framewire-${config.widgetId}`;
  iframe.src = widgetFrameUrl(config, hostOrigin);
  iframe.setAttribute('sandbox', IFRAME_SANDBOX);
  iframe.setAttribute('referrerpolicy', 'origin');
  iframe.hidden = true;

  const launcher = doc.createElement('button');
  launcher.type = 'button';
  launcher.append(chatIcon(doc));
  launcher.setAttribute('data-testid', 'widget-launcher');
  launcher.setAttribute('aria-controls', iframe.id);
  launcher.setAttribute('aria-expanded', 'false');
  // Announced through the launcher's name, not read out on its own.
  const badge = doc.createElement('span');
  badge.setAttribute('data-testid', 'unread-badge');
  badge.setAttribute('aria-hidden', 'true');
  badge.hidden = true;
  launcher.append(badge);
  let label = config.title;
  let unread = 0;
  const showLabel = (): void => launcher.setAttribute('aria-label', unread > 0 ? `${label}, ${unread} unread replies` : label);

  const setOpen = (open: boolean): void => {
    iframe.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
  };
  const toggle = (): void => setOpen(iframe.hidden);
  launcher.addEventListener('click', toggle);
  shadow.append(iframe, launcher);

  const setAppearance = ({ accentColor, position, launcherLabel }: Appearance): void => {
    // The far side is reset, not left out: the CSSOM fallback writes onto what is there.
    // The shadow is the accent at 45 % opacity (alpha 0x73), as the default indigo's was.
    const side = position === 'bottom-left' ? 'left:20px;right:auto' : 'right:20px;left:auto';
    iframe.title = launcherLabel;
    label = launcherLabel;
    showLabel();
    styleShadowRoot(shadow, [
      [iframe, 'iframe', PANEL_STYLE + side],
      [launcher, 'button', `${LAUNCHER_STYLE}background:${accentColor};box-shadow:0 6px 20px ${accentColor}73;${side}`],
      [badge, 'span', BADGE_STYLE],
    ]);
  };
  const setUnread = (count: number): void => {
    unread = count;
    badge.hidden = count < 1;
    badge.textContent = count > MAX_UNREAD_SHOWN ? `${MAX_UNREAD_SHOWN}+` : String(count);
    showLabel();
  };
  setAppearance({ accentColor: DEFAULT_ACCENT_COLOR, position: config.position, launcherLabel: config.title });

  // An async embed script can run before <body> exists.
  const append = (): void => void doc.body.append(root);

  return {
    iframe,
    attach() {
      if (doc.body) append();
      else doc.addEventListener('DOMContentLoaded', append, { once: true });
    },
    setAppearance,
    setUnread,
    open: () => setOpen(true),
    close: () => setOpen(false),
    isOpen: () => !iframe.hidden,
    destroy() {
      doc.removeEventListener('DOMContentLoaded', append);
      launcher.removeEventListener('click', toggle);
      root.remove();
    },
  };
}
