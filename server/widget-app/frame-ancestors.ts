import type { WidgetDocument } from '../../lib/protocol/widget-document';

/**
 * The `Content-Security-Policy` of `widget.html` for one widget: which host pages may frame it.
 *
 * - Registered, `allowedOrigins` listed: `frame-ancestors <origins>`; a browser refuses to
 *   show the widget in any other page.
 * - Registered with an empty list (anywhere, for development), or unregistered while
 *   registration is not required: `frame-ancestors *`, any http(s) page.
 * - Unregistered while registration is required, or no valid widget id: `frame-ancestors
 *   'none'`; the app still opens on its own (standalone), never inside a page.
 */
export function frameAncestorsPolicy(widget: Pick<WidgetDocument, 'allowedOrigins'> | null, requireRegistration: boolean): string {
  if (widget === null) return requireRegistration ? "frame-ancestors 'none'" : 'frame-ancestors *';
  return widget.allowedOrigins.length === 0 ? 'frame-ancestors *' : `frame-ancestors ${widget.allowedOrigins.join(' ')}`;
}

/** The policy when the request names no valid widget id. */
export const NO_WIDGET_POLICY = "frame-ancestors 'none'";
