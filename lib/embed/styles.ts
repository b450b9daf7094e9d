/** One element of a shadow root, the selector that finds it there, and its CSS declarations. */
export type StyleRule = readonly [element: HTMLElement, selector: string, declarations: string];

/**
 * Styles elements of a shadow root without inline styles, so the embed works on host pages
 * whose Content-Security-Policy has no `'unsafe-inline'` in `style-src` (which blocks both
 * `<style>` elements and `style` attributes, including `setAttribute('style', …)`).
 *
 * 1. Where the browser has constructable stylesheets, one sheet made in the page's own
 *    realm is adopted by the shadow root. CSP does not govern constructable stylesheets.
 * 2. Elsewhere (Safari before 16.4, Firefox before 101), each declaration is written
 *    through the CSSOM (`style.setProperty`), which CSP does not govern either.
 *
 * Called again (`setAppearance`), it replaces the styles: a new sheet is adopted, or the
 * declarations are written over the old ones, so a later call must name every property an
 * earlier one set (`right:auto` when the launcher moves to the left).
 *
 * Declarations are plain `name:value;` pairs with no `;` or `:` inside a value.
 */
export function styleShadowRoot(shadow: ShadowRoot, rules: readonly StyleRule[]): void {
  // The sheet must come from the realm of the document it is adopted into.
  const Sheet = shadow.ownerDocument.defaultView?.CSSStyleSheet;
  if (Sheet && 'adoptedStyleSheets' in shadow) {
    const sheet = new Sheet();
    sheet.replaceSync(rules.map(([, selector, declarations]) => `${selector}{${declarations}}`).join(''));
    shadow.adoptedStyleSheets = [sheet];
    return;
  }
  for (const [element, , declarations] of rules) {
    for (const declaration of declarations.split(';')) {
      const [name, value] = declaration.split(':');
      if (name && value) element.style.setProperty(name, value);
    }
  }
}
