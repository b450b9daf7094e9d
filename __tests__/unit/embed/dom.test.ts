import { afterEach, describe, expect, test, vi } from 'vitest';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import type { ResolvedEmbedConfig } from '../../../lib/embed/config';
import { createWidgetFrame, DEFAULT_ACCENT_COLOR } from '../../../lib/embed/dom';
import type { WidgetFrame } from '../../../lib/embed/dom';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';

const configOf = (input: Record<string, unknown>): ResolvedEmbedConfig => {
  const result = resolveEmbedConfig({ widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html', ...input });
  if (!result.ok) throw new Error(result.error);
  return result.config;
};

const frames: WidgetFrame[] = [];
const mount = (input: Record<string, unknown> = {}) => {
  const frame = createWidgetFrame(document, configOf(input), 'https://host.example');
  frames.push(frame);
  frame.attach();
  const shadow = document.querySelector('[data-framewire]')?.shadowRoot;
  const launcher = shadow?.querySelector<HTMLButtonElement>('[data-testid="widget-launcher"]');
  if (!shadow || !launcher) throw new Error('The widget frame did not mount.');
  return { frame, shadow, launcher, iframe: frame.iframe };
};

/** Every `setAttribute('style', …)` made while `run` runs: a strict host CSP blocks each one. */
function styleAttributeWrites(run: () => void): unknown[][] {
  const setAttribute = vi.spyOn(Element.prototype, 'setAttribute');
  run();
  const writes = setAttribute.mock.calls.filter(([name]) => name.toLowerCase() === 'style');
  setAttribute.mockRestore();
  return writes;
}

/** Gives jsdom's shadow roots `adoptedStyleSheets` (it has the sheet constructor but not the property). */
function withAdoptedStyleSheets(): void {
  const adopted = new WeakMap<ShadowRoot, CSSStyleSheet[]>();
  Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', {
    configurable: true,
    get(this: ShadowRoot) {
      return adopted.get(this) ?? [];
    },
    set(this: ShadowRoot, sheets: CSSStyleSheet[]) {
      adopted.set(this, sheets);
    },
  });
}

const ruleFor = (sheet: CSSStyleSheet | undefined, selector: string): CSSStyleDeclaration | undefined =>
  [...(sheet?.cssRules ?? [])].find((rule): rule is CSSStyleRule => (rule as CSSStyleRule).selectorText === selector)?.style;

afterEach(() => {
  for (const frame of frames.splice(0)) frame.destroy();
  Reflect.deleteProperty(ShadowRoot.prototype, 'adoptedStyleSheets');
});

describe('the widget frame styles', () => {
  test('with constructable stylesheets, one sheet adopted by the shadow root styles both elements and none is inline', () => {
    withAdoptedStyleSheets();
    let mounted: ReturnType<typeof mount> | undefined;
    expect(styleAttributeWrites(() => (mounted = mount()))).toEqual([]);
    const { shadow, launcher, iframe } = mounted as ReturnType<typeof mount>;
    expect(launcher.getAttribute('style')).toBeNull();
    expect(iframe.getAttribute('style')).toBeNull();
    expect(shadow.querySelector('style')).toBeNull();
    expect(shadow.adoptedStyleSheets).toHaveLength(1);
    const sheet = shadow.adoptedStyleSheets[0];
    const button = ruleFor(sheet, 'button');
    const panel = ruleFor(sheet, 'iframe');
    expect(button?.getPropertyValue('position')).toBe('fixed');
    expect(button?.getPropertyValue('width')).toBe('56px');
    expect(button?.getPropertyValue('bottom')).toBe('20px');
    expect(button?.getPropertyValue('right')).toBe('20px');
    expect(button?.getPropertyValue('background')).toBe('rgb(79, 70, 229)');
    expect(panel?.getPropertyValue('position')).toBe('fixed');
    expect(panel?.getPropertyValue('bottom')).toBe('88px');
    expect(panel?.getPropertyValue('right')).toBe('20px');
    // The `hidden` attribute hides the closed panel only while no rule sets `display` on it.
    expect(panel?.getPropertyValue('display')).toBe('');
  });

  test('with constructable stylesheets, position bottom-left puts both elements on the left', () => {
    withAdoptedStyleSheets();
    const { shadow } = mount({ position: 'bottom-left' });
    for (const selector of ['button', 'iframe']) {
      const rule = ruleFor(shadow.adoptedStyleSheets[0], selector);
      expect(rule?.getPropertyValue('left')).toBe('20px');
      expect(rule?.getPropertyValue('right')).toBe('auto');
    }
  });

  test('without adoptedStyleSheets, it writes each declaration through the CSSOM, never a style attribute', () => {
    expect('adoptedStyleSheets' in ShadowRoot.prototype).toBe(false);
    let mounted: ReturnType<typeof mount> | undefined;
    expect(styleAttributeWrites(() => (mounted = mount()))).toEqual([]);
    const { launcher, iframe, shadow } = mounted as ReturnType<typeof mount>;
    expect(shadow.querySelector('style')).toBeNull();
    expect(launcher.style.position).toBe('fixed');
    expect(launcher.style.height).toBe('56px');
    expect(launcher.style.bottom).toBe('20px');
    expect(launcher.style.right).toBe('20px');
    expect(launcher.style.borderRadius).toBe('50%');
    expect(launcher.style.zIndex).toBe('2147483000');
    expect(iframe.style.position).toBe('fixed');
    expect(iframe.style.bottom).toBe('88px');
    expect(iframe.style.borderRadius).toBe('16px');
    expect(iframe.style.display).toBe('');
  });

  test('without adoptedStyleSheets, position bottom-left puts both elements on the left', () => {
    const { launcher, iframe } = mount({ position: 'bottom-left' });
    for (const element of [launcher, iframe]) {
      expect(element.style.left).toBe('20px');
      expect(element.style.right).toBe('auto');
    }
  });

  test('opening and closing toggles only the hidden state, not the styles', () => {
    const { frame, launcher, iframe } = mount();
    expect(iframe.hidden).toBe(true);
    expect(styleAttributeWrites(() => frame.open())).toEqual([]);
    expect(iframe.hidden).toBe(false);
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    frame.close();
    expect(iframe.hidden).toBe(true);
    expect(iframe.style.position).toBe('fixed');
  });

  test('draws the launcher icon as SVG elements, without innerHTML (Trusted Types pages refuse strings there)', () => {
    const innerHTML = vi.spyOn(Element.prototype, 'innerHTML', 'set');
    const { launcher } = mount();
    expect(innerHTML).not.toHaveBeenCalled();
    innerHTML.mockRestore();
    const icon = launcher.querySelector('svg');
    expect(icon?.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(icon?.getAttribute('viewBox')).toBe('0 0 24 24');
    expect(icon?.getAttribute('aria-hidden')).toBe('true');
    expect(icon?.querySelector('path')?.getAttribute('d')).toMatch(/^M4 4h16/);
  });
});

describe('the iframe URL', () => {
  test('carries the collectorUrl the page set, beside widgetId and host, so the widget can fetch its config', () => {
    const { iframe } = mount({ collectorUrl: 'https://c.example/base?x=1&y=2' });
    const url = new URL(iframe.src);
    expect(url.searchParams.get('widgetId')).toBe('demo');
    expect(url.searchParams.get('host')).toBe('https://host.example');
    expect(url.searchParams.get('collectorUrl')).toBe('https://c.example/base?x=1&y=2');
    expect(url.searchParams.get('x')).toBeNull();
  });

  test('has no collectorUrl when the page set none', () => {
    const { iframe } = mount();
    expect(new URL(iframe.src).searchParams.has('collectorUrl')).toBe(false);
  });
});

describe('setAppearance', () => {
  const green = { accentColor: '#0a7f3f', position: 'bottom-left', launcherLabel: 'Ask us' } as const;

  test("until the widget applies its theme, init's title and position show, in the registry's default colour", () => {
    withAdoptedStyleSheets();
    const { shadow, launcher, iframe } = mount({ title: 'Help', position: 'bottom-left' });
    expect(DEFAULT_ACCENT_COLOR).toBe(DEFAULT_WIDGET_CONTENT.theme.accentColor);
    expect(launcher.getAttribute('aria-label')).toBe('Help');
    expect(iframe.title).toBe('Help');
    expect(ruleFor(shadow.adoptedStyleSheets[0], 'button')?.getPropertyValue('left')).toBe('20px');
  });

  test('with constructable stylesheets, applies the colour, its shadow tint, the label and the corner through the adopted sheet, never inline', () => {
    withAdoptedStyleSheets();
    const { frame, shadow, launcher, iframe } = mount();
    expect(styleAttributeWrites(() => frame.setAppearance(green))).toEqual([]);
    expect(shadow.adoptedStyleSheets).toHaveLength(1);
    const button = ruleFor(shadow.adoptedStyleSheets[0], 'button');
    const panel = ruleFor(shadow.adoptedStyleSheets[0], 'iframe');
    expect(button?.getPropertyValue('background')).toBe('rgb(10, 127, 63)');
    expect(button?.getPropertyValue('box-shadow')).toBe('0 6px 20px #0a7f3f73');
    expect(button?.getPropertyValue('width')).toBe('56px');
    for (const rule of [button, panel]) {
      expect(rule?.getPropertyValue('left')).toBe('20px');
      expect(rule?.getPropertyValue('right')).toBe('auto');
    }
    expect(panel?.getPropertyValue('bottom')).toBe('88px');
    expect(launcher.getAttribute('aria-label')).toBe('Ask us');
    expect(iframe.title).toBe('Ask us');
    expect(launcher.getAttribute('style')).toBeNull();
    expect(iframe.getAttribute('style')).toBeNull();
  });

  test('without adoptedStyleSheets, writes through the CSSOM, and moving back to the right clears the left', () => {
    const { frame, launcher, iframe } = mount();
    expect(styleAttributeWrites(() => frame.setAppearance(green))).toEqual([]);
    expect(launcher.style.background).toBe('rgb(10, 127, 63)');
    expect(launcher.style.left).toBe('20px');
    frame.setAppearance({ ...green, position: 'bottom-right' });
    for (const element of [launcher, iframe]) {
      expect(element.style.right).toBe('20px');
      expect(element.style.left).toBe('auto');
    }
    expect(launcher.style.height).toBe('56px');
  });

  test('keeps the open state: only the look changes', () => {
    const { frame, iframe, launcher } = mount();
    frame.open();
    frame.setAppearance(green);
    expect(iframe.hidden).toBe(false);
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
  });
});

describe('the unread badge', () => {
  const badgeOf = (shadow: ShadowRoot) => shadow.querySelector<HTMLElement>('[data-testid="unread-badge"]');

  test('is hidden at first, and the launcher is named by the title alone', () => {
    const { shadow, launcher } = mount({ title: 'Help' });
    expect(badgeOf(shadow)?.hidden).toBe(true);
    expect(launcher.getAttribute('aria-label')).toBe('Help');
  });

  test('shows the count on the launcher and names the unread replies in its accessible name', () => {
    const { frame, shadow, launcher } = mount({ title: 'Help' });
    frame.setUnread(3);
    expect(badgeOf(shadow)?.hidden).toBe(false);
    expect(badgeOf(shadow)?.textContent).toBe('3');
    expect(badgeOf(shadow)?.getAttribute('aria-hidden')).toBe('true');
    expect(launcher.getAttribute('aria-label')).toBe('Help, 3 unread replies');
  });

  test('reads 99+ past MAX_UNREAD_SHOWN, and the exact count stays in the accessible name', () => {
    const { frame, shadow, launcher } = mount({ title: 'Help' });
    frame.setUnread(99);
    expect(badgeOf(shadow)?.textContent).toBe('99');
    frame.setUnread(100);
    expect(badgeOf(shadow)?.textContent).toBe('99+');
    expect(launcher.getAttribute('aria-label')).toBe('Help, 100 unread replies');
  });

  test('hides again at 0, and the name is the title again', () => {
    const { frame, shadow, launcher } = mount({ title: 'Help' });
    frame.setUnread(2);
    frame.setUnread(0);
    expect(badgeOf(shadow)?.hidden).toBe(true);
    expect(launcher.getAttribute('aria-label')).toBe('Help');
  });

  test('keeps the count when the widget applies its theme, under the new label', () => {
    const { frame, launcher } = mount({ title: 'Help' });
    frame.setUnread(4);
    frame.setAppearance({ accentColor: '#0a7f3f', position: 'bottom-left', launcherLabel: 'Ask us' });
    expect(launcher.getAttribute('aria-label')).toBe('Ask us, 4 unread replies');
  });

  test('is styled by the adopted sheet (a rule of its own), never inline', () => {
    withAdoptedStyleSheets();
    let mounted: ReturnType<typeof mount> | undefined;
    const writes = styleAttributeWrites(() => {
      mounted = mount();
      mounted.frame.setUnread(5);
    });
    expect(writes).toEqual([]);
    const rule = ruleFor(mounted?.shadow.adoptedStyleSheets[0], 'span');
    expect(rule?.position).toBe('absolute');
    expect(rule?.getPropertyValue('background')).toContain('rgb(220, 38, 38)');
    expect(badgeOf(mounted!.shadow)?.getAttribute('style')).toBeNull();
  });

  test('without adoptedStyleSheets, the badge is styled through the CSSOM', () => {
    const { frame, shadow } = mount();
    frame.setUnread(1);
    expect(badgeOf(shadow)?.style.position).toBe('absolute');
    expect(badgeOf(shadow)?.style.top).toBe('-4px');
  });
});
