import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DashboardApp } from '../../../components/dashboard/DashboardApp';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// uPlot measures the screen when it loads, which jsdom cannot; these widgets have no trends to draw anyway.
vi.mock('../../../components/dashboard/TrendsChart', () => ({ TrendsChart: () => null }));

const KEY = 'k_live_0123456789abcdef';
const SHOP = { id: 'shop', owner: 'acme', name: 'Trail shop', revision: 2, updatedAt: Date.UTC(2026, 10, 30) };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The collector as the dashboard sees it: the key's widgets, and analytics with nothing recorded. */
function collector(widgets: (typeof SHOP)[]) {
  const calls: { method: string; path: string; authorization: string | null }[] = [];
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, authorization: headers.get('authorization') });
    if (headers.get('authorization') !== `Bearer ${KEY}`) return Promise.resolve(json(401, { error: 'unknown API key' }));
    if (url.pathname === '/api/widgets') return Promise.resolve(json(200, { widgets }));
    if (url.pathname === '/api/widgets/shop') return Promise.resolve(json(200, { ...SHOP, allowedOrigins: [], content: DEFAULT_WIDGET_CONTENT }));
    if (url.pathname.endsWith('/summary')) return Promise.resolve(json(200, { from: '2026-11-24', to: '2026-11-30', events: 0, sessions: 0 }));
    if (url.pathname.endsWith('/offers')) return Promise.resolve(json(200, { widgetId: 'shop', from: '2026-11-24', to: '2026-11-30', offers: [] }));
    return Promise.resolve(json(200, {}));
  });
  return { fetch, calls };
}

let root: Root;
let container: HTMLElement;

function mount(): Promise<void> {
  root = createRoot(container);
  return act(async () => root.render(<DashboardApp baseUrl="http://collector.test" />));
}
const settle = () => act(() => vi.advanceTimersByTimeAsync(10));
const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const button = (text: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === text);

async function type(element: HTMLInputElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
const submit = (form: Element | null) => act(async () => void form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));

async function signIn(key: string): Promise<void> {
  await type(container.querySelector<HTMLInputElement>('input[name="apiKey"]')!, key);
  await submit(container.querySelector('form'));
  await settle();
}

beforeEach(() => {
  vi.useFakeTimers();
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the dashboard app', () => {
  test('signs in with the key alone, lists the key’s widgets, opens the one picked, and a reload reopens it', async () => {
    const { fetch, calls } = collector([SHOP]);
    vi.stubGlobal('fetch', fetch);
    await mount();
    expect(container.querySelector('input[name="widgetId"]')).toBeNull();
    await signIn(KEY);
    expect(calls[0]).toEqual({ method: 'GET', path: '/api/widgets', authorization: `Bearer ${KEY}` });
    const choice = container.querySelector<HTMLButtonElement>('[data-testid="widget-choice"][data-widget-id="shop"]');
    expect(choice?.textContent).toContain('Trail shop');
    await act(async () => choice?.click());
    await settle();
    expect(byTestId('current-widget')?.textContent).toBe('Widget shop');
    expect(byTestId('dashboard-empty')).not.toBeNull();
    expect(JSON.parse(sessionStorage.getItem('framewire:dashboard:credentials') ?? 'null')).toEqual({ apiKey: KEY, widget: { widgetId: 'shop', isNew: false } });

    act(() => root.unmount());
    await mount();
    await settle();
    expect(byTestId('current-widget')?.textContent).toBe('Widget shop');

    await act(async () => button('Switch widget')?.click());
    await settle();
    expect(byTestId('widget-picker')).not.toBeNull();
    expect(button('Back to shop')).toBeDefined();
  });

  test('a refused key stays on the sign-in form with the reason, and nothing is kept', async () => {
    vi.stubGlobal('fetch', collector([SHOP]).fetch);
    await mount();
    await signIn('k_live_wrong_wrong_wrong');
    expect(byTestId('signin-error')?.textContent).toBe('That key was refused. Check the API key and try again.');
    expect(sessionStorage.length).toBe(0);
  });

  test('a key without registered widgets says so; "New widget" takes only a valid id and opens the editor on the built-in content', async () => {
    vi.stubGlobal('fetch', collector([]).fetch);
    await mount();
    await signIn(KEY);
    expect(byTestId('picker-empty')?.textContent).toContain('This key sees no registered widget yet');
    await act(async () => byTestId('new-widget')?.click());
    const id = byTestId('new-widget-form')!.querySelector<HTMLInputElement>('input')!;
    await type(id, 'not valid!');
    await submit(byTestId('new-widget-form'));
    expect(byTestId('widget-editor')).toBeNull();
    await type(id, 'spring-sale');
    await submit(byTestId('new-widget-form'));
    await settle();
    expect(byTestId('widget-editor')).not.toBeNull();
    expect(container.querySelector<HTMLInputElement>('[data-path="name"]')?.value).toBe('spring-sale');
    expect(JSON.parse(sessionStorage.getItem('framewire:dashboard:credentials') ?? 'null')).toEqual({ apiKey: KEY, widget: { widgetId: 'spring-sale', isNew: true } });
  });
});
