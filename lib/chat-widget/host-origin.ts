function asOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The origin of the page that embeds this widget: the target of the handshake.
 *
 * 1. `location.ancestorOrigins[0]` where the browser has it (Chromium, Safari): the
 *    browser's own word.
 * 2. Elsewhere the `host` URL parameter, trusted only when `document.referrer` (sent as an
 *    origin by the embed script's `referrerpolicy`) has the same origin.
 * 3. Otherwise `null`: the widget does not know whom to talk to and will not guess.
 */
export function resolveHostOrigin(win: Pick<Window, 'location' | 'document'>): string | null {
  const ancestors = (win.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return asOrigin(ancestors.item(0));
  const claimed = asOrigin(new URLSearchParams(win.location.search).get('host'));
  const referrer = asOrigin(win.document.referrer);
  return claimed !== null && claimed === referrer ? claimed : null;
}
