import { afterEach, describe, expect, test, vi } from 'vitest';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import type { ResolvedEmbedConfig } from '../../../lib/embed/config';
import { createWidgetFrame } from '../../../lib/embed/dom';
import type { WidgetFrame } from '../../../lib/embed/dom';

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
      expect(rule?.getPropertyValue('right')).toBe('');
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
      expect(element.style.right).toBe('');
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
