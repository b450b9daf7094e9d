// @vitest-environment node
// Node's own fetch and AbortController: jsdom's AbortSignal is not one Node's fetch accepts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { EnhancedParentStorageAdapter } from '../../../lib/chat-widget/parent-storage-enhanced';
import type { StorageBridge } from '../../../lib/chat-widget/parent-storage-enhanced';
import { createWidgetConfigLoader } from '../../../lib/chat-widget/widget-config';
import type { InvalidConfigReport, WidgetConfigLoader, WidgetConfigLoaderOptions } from '../../../lib/chat-widget/widget-config';
import { WIDGET_CONFIG_KEY } from '../../../lib/protocol/limits';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetConfig, WidgetContent } from '../../../lib/protocol/widget-document';
import { createMemoryStorage } from '../../../lib/util/memory-storage';
import { storageHost } from '../support/storage-host';
import { startConfigServer } from './config-server';

const WIDGET_ID = 'shop';

const contentSaying = (greeting: string): WidgetContent => ({ ...DEFAULT_WIDGET_CONTENT, greeting });
const configOf = (revision: number, greeting = `revision ${revision}`): WidgetConfig => ({ widgetId: WIDGET_ID, revision, content: contentSaying(greeting) });

let server: Awaited<ReturnType<typeof startConfigServer>>;
let host: ReturnType<typeof storageHost>;
let storage: EnhancedParentStorageAdapter;
let loader: WidgetConfigLoader | null = null;
let invalid: InvalidConfigReport[];
let applied: number[];

beforeAll(async () => {
  server = await startConfigServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  // Fake clocks that also follow real time, so the real HTTP exchange can complete.
  vi.useFakeTimers({ shouldAdvanceTime: true });
  server.requests.length = 0;
  host = storageHost({ widgetId: WIDGET_ID });
  storage = new EnhancedParentStorageAdapter({ widgetId: WIDGET_ID, bridge: host.bridge as unknown as StorageBridge, target: null, fallback: createMemoryStorage() });
  invalid = [];
  applied = [];
});
afterEach(() => {
  loader?.destroy();
  loader = null;
  storage.destroy();
  vi.useRealTimers();
});

function start(options: Partial<WidgetConfigLoaderOptions> = {}): WidgetConfigLoader {
  loader = createWidgetConfigLoader({
    widgetId: WIDGET_ID,
    collectorUrl: server.url,
    storage,
    onInvalid: (report) => invalid.push(report),
    onApply: (config) => applied.push(config.revision),
    ...options,
  });
  return loader;
}

/** Keeps a config in the host's storage, as an earlier page view did. */
const cache = (config: unknown, etag = '"1"'): void => host.area.setItem(`framewire:${WIDGET_ID}:${WIDGET_CONFIG_KEY}`, JSON.stringify({ etag, config }));
const stored = (): { etag: string; config: WidgetConfig } | null => {
  const text = host.get(WIDGET_CONFIG_KEY);
  return text === null ? null : (JSON.parse(text) as { etag: string; config: WidgetConfig });
};
const greetingOf = (current: WidgetConfigLoader): string => current.getSnapshot().content.greeting;
const until = (what: () => boolean): Promise<void> => vi.waitFor(() => expect(what()).toBe(true), { timeout: 5000, interval: 5 });

describe('the widget config loader', () => {
  test('shows the cached config before the collector answers, then the collector newer one, kept in the host at once', async () => {
    cache(configOf(1, 'cached'));
    let release = (): void => undefined;
    server.handle((_request, response) => {
      release = () => response.writeHead(200, { 'Content-Type': 'application/json', ETag: '"2"' }).end(JSON.stringify(configOf(2, 'fresh')));
    });
    const current = start();
    expect(current.getSnapshot().settled).toBe(false);
    await until(() => current.getSnapshot().source === 'cache');
    expect(greetingOf(current)).toBe('cached');
    await until(() => server.requests.length === 1);
    expect(server.requests[0]).toEqual({ url: `/api/widgets/${WIDGET_ID}/config`, ifNoneMatch: '"1"' });

    release();
    await until(() => current.getSnapshot().source === 'collector');
    expect(greetingOf(current)).toBe('fresh');
    expect(applied).toEqual([1, 2]);
    // Sent at once, not after the adapter's 300 ms debounce: a reload right now shows it.
    await vi.advanceTimersByTimeAsync(20);
    expect(stored()).toEqual({ etag: '"2"', config: configOf(2, 'fresh') });
  });

  test('304: the cached config stays and is not written again', async () => {
    cache(configOf(3, 'cached'), '"3"');
    server.serve(configOf(3, 'cached'));
    const current = start();
    await until(() => server.requests.length === 1);
    await current.revalidate();
    expect(server.requests[0]?.ifNoneMatch).toBe('"3"');
    expect(current.getSnapshot()).toMatchObject({ source: 'cache', revision: 3, settled: true });
    expect(host.call.mock.calls.filter(([method]) => method === 'setItem')).toEqual([]);
  });

  test('404: the widget is not registered, so the built-in content shows and the cached copy is removed', async () => {
    cache(configOf(1, 'cached'));
    server.handle((_request, response) => response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not_found"}'));
    const current = start();
    await until(() => current.getSnapshot().source === 'default' && current.getSnapshot().settled);
    expect(current.getSnapshot().content).toEqual(DEFAULT_WIDGET_CONTENT);
    await vi.advanceTimersByTimeAsync(20);
    expect(stored()).toBeNull();
  });

  test('a config that fails the schema is ignored and reported by where it is wrong, without its content', async () => {
    cache(configOf(1, 'cached'));
    const broken = { ...configOf(2, 'secret greeting'), content: { ...contentSaying('secret greeting'), theme: { ...DEFAULT_WIDGET_CONTENT.theme, accentColor: 'red' } } };
    server.handle((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json', ETag: '"2"' }).end(JSON.stringify(broken)));
    const current = start();
    await until(() => invalid.length === 1);
    expect(invalid).toEqual([{ source: 'collector', paths: ['content.theme.accentColor'] }]);
    expect(JSON.stringify(invalid)).not.toContain('secret');
    expect(greetingOf(current)).toBe('cached');
    expect(stored()?.config.revision).toBe(1);
  });

  test('an invalid cached config is ignored and reported; the built-in content shows while the collector is down', async () => {
    cache({ widgetId: WIDGET_ID, revision: 1, content: { greeting: '' } });
    server.handle((_request, response) => response.writeHead(503).end());
    const current = start();
    await until(() => current.getSnapshot().settled);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.source).toBe('cache');
    expect(current.getSnapshot()).toMatchObject({ source: 'default', content: DEFAULT_WIDGET_CONTENT });
    // No valid copy, so no If-None-Match.
    expect(server.requests[0]?.ifNoneMatch).toBeNull();
  });

  test('a cached config of another widget is not shown', async () => {
    cache({ ...configOf(1, 'other'), widgetId: 'other-widget' });
    const current = start({ collectorUrl: null });
    await until(() => current.getSnapshot().settled);
    expect(greetingOf(current)).toBe(DEFAULT_WIDGET_CONTENT.greeting);
    expect(invalid).toEqual([{ source: 'cache', paths: ['widgetId'] }]);
  });

  test('a collector that takes the request and never answers is given up after 10 s; the cached content stays', async () => {
    cache(configOf(1, 'cached'));
    let closed = false;
    server.handle((request) => request.on('close', () => (closed = true)));
    const current = start();
    await until(() => server.requests.length === 1);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    await until(() => closed);
    expect(current.getSnapshot()).toMatchObject({ source: 'cache', revision: 1 });
  });

  test('5xx and network errors keep what is shown', async () => {
    cache(configOf(1, 'cached'));
    server.handle((_request, response) => response.writeHead(500).end());
    const current = start();
    await until(() => server.requests.length === 1);
    await current.revalidate();
    expect(greetingOf(current)).toBe('cached');
    server.handle((request) => request.socket.destroy());
    await current.revalidate();
    // (fetch itself may try a reset connection once more.)
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(greetingOf(current)).toBe('cached');
  });

  test('a conditional request that fails like a refused CORS preflight is asked again without If-None-Match', async () => {
    cache(configOf(1, 'cached'));
    const config = configOf(2, 'fresh');
    // Node's fetch has no CORS: a connection cut stands for the refused preflight.
    server.handle((request, response) => {
      if (request.headers['if-none-match']) request.socket.destroy();
      else response.writeHead(200, { 'Content-Type': 'application/json', ETag: '"2"' }).end(JSON.stringify(config));
    });
    const current = start();
    await until(() => current.getSnapshot().source === 'collector');
    expect(server.requests.at(-1)?.ifNoneMatch).toBeNull();
    expect(greetingOf(current)).toBe('fresh');
    expect(stored()?.config.revision).toBe(2);
  });

  test('an unconditional answer with the revision already shown changes nothing and writes nothing', async () => {
    cache(configOf(1, 'cached'));
    server.handle((request, response) => {
      if (request.headers['if-none-match']) request.socket.destroy();
      else response.writeHead(200, { 'Content-Type': 'application/json', ETag: '"1"' }).end(JSON.stringify(configOf(1, 'cached')));
    });
    const current = start();
    await until(() => server.requests.some((entry) => entry.ifNoneMatch === null));
    await current.revalidate();
    await vi.advanceTimersByTimeAsync(20);
    expect(current.getSnapshot()).toMatchObject({ source: 'cache', revision: 1 });
    expect(applied).toEqual([1]);
    expect(host.call.mock.calls.filter(([method]) => method === 'setItem')).toEqual([]);
  });

  test('without collectorUrl nothing is fetched: the cached config, else the built-in content', async () => {
    const bare = start({ collectorUrl: null });
    await until(() => bare.getSnapshot().settled);
    expect(bare.getSnapshot().source).toBe('default');
    bare.destroy();
    // The next page view: a new adapter (the last one's read cache still says "nothing").
    storage.destroy();
    storage = new EnhancedParentStorageAdapter({ widgetId: WIDGET_ID, bridge: host.bridge as unknown as StorageBridge, target: null, fallback: createMemoryStorage() });
    cache(configOf(4, 'cached'));
    const cached = start({ collectorUrl: null });
    await until(() => cached.getSnapshot().source === 'cache');
    expect(server.requests).toEqual([]);
  });

  test('the panel opening asks again only when the last answer is older than 60 s', async () => {
    server.serve(configOf(5));
    const current = start();
    await until(() => current.getSnapshot().source === 'collector');
    current.revalidateIfStale();
    await vi.advanceTimersByTimeAsync(50);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    current.revalidateIfStale();
    await until(() => server.requests.length === 2);
    expect(server.requests[1]?.ifNoneMatch).toBe('"5"');
  });

  test('destroy aborts the request and applies nothing after it', async () => {
    let closed = false;
    server.handle((request) => request.on('close', () => (closed = true)));
    const current = start();
    const changes = vi.fn();
    current.subscribe(changes);
    await until(() => server.requests.length === 1);
    current.destroy();
    await until(() => closed);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(changes).not.toHaveBeenCalled();
  });

  test('destroyed while waiting for the host, it leaves no timer behind and asks nothing', async () => {
    // The host never answers the cached copy's read.
    const silent = { getItem: () => new Promise<string | null>(() => undefined), setItem: () => undefined, removeItem: () => undefined };
    const before = vi.getTimerCount();
    const current = start({ storage: silent });
    expect(vi.getTimerCount()).toBe(before + 1);
    current.destroy();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(before);
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.requests).toEqual([]);
  });
});
