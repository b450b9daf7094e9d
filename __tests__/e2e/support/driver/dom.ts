/**
 * Functions run inside the page by the drivers that have no selector engine of their own
 * (Firefox over BiDi, WebKit over classic WebDriver). Each is serialised on its own, so
 * each is self-contained: no imports, no calls to the others.
 */

/** The query a driver sends into the page: a CSS selector, and whether it must be rendered. */
export interface DeepSelector {
  selector: string;
  visible: boolean;
}

/**
 * Whether an element matching `selector` is in the document or in any open shadow root
 * below it, and (if asked) rendered as Playwright means it: a non-empty box and not
 * `visibility: hidden`.
 */
export function deepPresent({ selector, visible }: DeepSelector): boolean {
  const search = (root: Document | ShadowRoot): Element | null => {
    const found = root.querySelector(selector);
    if (found) return found;
    for (const host of Array.from(root.querySelectorAll('*'))) {
      if (host.shadowRoot) {
        const inner = search(host.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  const element = search(document);
  if (!element) return false;
  if (!visible) return true;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
}

/**
 * The element matching `selector` (open shadow roots pierced), scrolled into the middle of
 * the view so a pointer click at its centre lands on it; null when there is none.
 */
export function deepElement(selector: string): Element | null {
  const search = (root: Document | ShadowRoot): Element | null => {
    const found = root.querySelector(selector);
    if (found) return found;
    for (const host of Array.from(root.querySelectorAll('*'))) {
      if (host.shadowRoot) {
        const inner = search(host.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  const element = search(document);
  element?.scrollIntoView({ block: 'center', inline: 'center' });
  return element;
}

/** Clicks the element matching `selector` (open shadow roots pierced) through the DOM; false when there is none. */
export function domClick(selector: string): boolean {
  const search = (root: Document | ShadowRoot): Element | null => {
    const found = root.querySelector(selector);
    if (found) return found;
    for (const host of Array.from(root.querySelectorAll('*'))) {
      if (host.shadowRoot) {
        const inner = search(host.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  const element = search(document);
  if (!(element instanceof HTMLElement)) return false;
  element.click();
  return true;
}

/**
 * Replaces the value of the input or textarea matching `selector` (open shadow roots pierced)
 * as Playwright's `fill` does: focus, select everything, then one `insertText` edit (a
 * `beforeinput` and an `input` event, no key events), so a long text costs one call, not a
 * key action per character. Falls back to the native value setter plus `input`/`change`
 * where the editing command is refused. False when there is no such element.
 */
export function insertText({ selector, text }: { selector: string; text: string }): boolean {
  const search = (root: Document | ShadowRoot): Element | null => {
    const found = root.querySelector(selector);
    if (found) return found;
    for (const host of Array.from(root.querySelectorAll('*'))) {
      if (host.shadowRoot) {
        const inner = search(host.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  const element = search(document);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) return false;
  element.focus();
  element.select();
  const edited = text === '' ? document.execCommand('delete') : document.execCommand('insertText', false, text);
  if (!edited || element.value !== text) {
    const prototype = element instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(element, text);
    element.dispatchEvent(new Event('input', { bubbles: true }));
    element.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return true;
}
