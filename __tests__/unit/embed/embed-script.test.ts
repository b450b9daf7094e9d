import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { IFRAME_SANDBOX } from '../../../lib/embed/dom';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import { loadEmbed, page } from '../support/load-embed';


const CONFIG = { widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html' };

const shadow = () => document.querySelector('[data-framewire]')?.shadowRoot ?? null;

beforeEach(() => {
  document.body.innerHTML = '';
  delete page.framewire;
});
afterEach(() => {
  page.framewire?.('destroy');
  vi.restoreAllMocks();
});

describe('the embed script', () => {
  test('runs the commands queued before it loaded, in order', async () => {
    await loadEmbed([['init', CONFIG], ['open']]);
    const iframe = shadow()?.querySelector('iframe');
    expect(iframe?.hidden).toBe(false);
    const src = new URL(iframe?.src ?? '');
    expect(src.origin + src.pathname).toBe('https://widget.example/widget.html');
    expect(src.searchParams.get('widgetId')).toBe('demo');
    expect(src.searchParams.get('host')).toBe(location.origin);
  });

  test('mounts a launcher and a sandboxed iframe that starts hidden', async () => {
    await loadEmbed([['init', CONFIG]]);
    const root = shadow();
    const launcher = root?.querySelector<HTMLButtonElement>('[data-testid="widget-launcher"]');
    const iframe = root?.querySelector('iframe');
    expect(iframe?.getAttribute('sandbox')).toBe(IFRAME_SANDBOX);
    expect(iframe?.getAttribute('sandbox')?.split(' ')).not.toContain('allow-top-navigation');
    expect(iframe?.getAttribute('referrerpolicy')).toBe('origin');
    expect(iframe?.hidden).toBe(true);
    launcher?.click();
    expect(iframe?.hidden).toBe(false);
    expect(launcher?.getAttribute('aria-expanded')).toBe('true');
    page.framewire?.('close');
    expect(iframe?.hidden).toBe(true);
  });

  test('destroy removes everything it added and allows a new init', async () => {
    const added = vi.spyOn(window, 'addEventListener');
    const framewire = await loadEmbed([['init', CONFIG]]);
    const messageListeners = added.mock.calls.filter(([type]) => type === 'message').map(([, listener]) => listener);
    expect(messageListeners).toHaveLength(1);
    const removed = vi.spyOn(window, 'removeEventListener');
    framewire('destroy');
    expect(document.querySelector('[data-framewire]')).toBeNull();
    expect(removed).toHaveBeenCalledWith('message', messageListeners[0]);
    framewire('init', CONFIG);
    expect(document.querySelectorAll('[data-framewire]')).toHaveLength(1);
  });

  test('reports a bad config and unknown commands in the console without throwing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const framewire = await loadEmbed([['init', { widgetId: 'a:b', widgetUrl: 'javascript:alert(1)', typo: 1 }], ['fly']]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('widgetId: must be 1-64 letters'));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('widgetUrl: must be an absolute http(s) URL'));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('typo: unknown option'));
    expect(warn).toHaveBeenCalledWith('[framewire] Unknown command "fly".');
    expect(document.querySelector('[data-framewire]')).toBeNull();
    // Called directly: anything thrown would fail the test. With no widget, open does nothing and says nothing.
    const errors = error.mock.calls.length;
    framewire('open');
    expect(document.querySelector('[data-framewire]')).toBeNull();
    expect(error).toHaveBeenCalledTimes(errors);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test("refuses a widget on the page's own origin, which could lift its sandbox", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await loadEmbed([['init', { widgetId: 'demo', widgetUrl: `${location.origin}/widget.html` }]]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('widgetUrl must be on another origin'));
    expect(document.querySelector('[data-framewire]')).toBeNull();
  });

  test('a second init is refused while one widget is mounted', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await loadEmbed([['init', CONFIG], ['init', CONFIG]]);
    expect(document.querySelectorAll('[data-framewire]')).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('resolveEmbedConfig', () => {
  test('applies the documented defaults', () => {
    expect(resolveEmbedConfig(CONFIG)).toEqual({
      ok: true,
      config: { ...CONFIG, collectorUrl: undefined, debug: false, position: 'bottom-right', title: 'Chat', queue: {}, consentRequired: false },
    });
  });

  test('takes queue timings, each within its range', () => {
    const queue = { maxBatchSize: 1, maxBatchDelay: 100, initialRetryDelay: 50, maxRetryDelay: 400, maxRetryAfter: 1000, requestTimeout: 1500, jitter: 0 };
    const resolved = resolveEmbedConfig({ ...CONFIG, queue });
    expect(resolved.ok && resolved.config.queue).toEqual(queue);
  });

  test.each([
    ['an unknown timing', { maxRetries: 3 }],
    ['a negative time', { requestTimeout: -1 }],
    ['a time given as text', { requestTimeout: '10000' }],
    ['an infinite time', { maxRetryDelay: Infinity }],
    ['not an object', 5],
  ])('refuses queue timings with %s, naming the option', (_case, queue) => {
    const resolved = resolveEmbedConfig({ ...CONFIG, queue });
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.error).toMatch(/^Invalid framewire config: queue: must be an object of maxBatchSize,.*requestTimeout/);
  });

  test('refuses a non-object', () => {
    expect(resolveEmbedConfig('demo')).toEqual({ ok: false, error: 'Invalid framewire config: expected an object.' });
  });
});
