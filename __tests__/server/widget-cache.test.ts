import { describe, expect, it, vi } from 'vitest';
import { createWidgetCache } from '../../server/registry';
import { createRefusalLog } from '../../server/ingest';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { WidgetDocument } from '../../lib/protocol/widget-document';

const widget = (id: string, revision = 1): WidgetDocument => ({
  id,
  owner: 'acme',
  name: id,
  allowedOrigins: [],
  content: DEFAULT_WIDGET_CONTENT,
  revision,
  updatedAt: 0,
  webhookUrl: null,
  webhookSecretSet: false,
});

/** A registry whose answers the test releases by hand. */
function manualRegistry() {
  const pending: { id: string; resolve: (value: WidgetDocument | null) => void; reject: (error: Error) => void }[] = [];
  const getWidget = vi.fn(
    (id: string) =>
      new Promise<WidgetDocument | null>((resolve, reject) => {
        pending.push({ id, resolve, reject });
      }),
  );
  return { getWidget, pending };
}

describe('the widget cache', () => {
  it('reuses a lookup for ttlMs, then reads the store again', async () => {
    let now = 0;
    let revision = 1;
    const getWidget = vi.fn(async (id: string) => widget(id, revision));
    const cache = createWidgetCache({ getWidget }, { ttlMs: 5000, now: () => now });
    expect(await cache.getWidget('shop')).toMatchObject({ revision: 1 });
    revision = 2;
    now = 4999;
    expect(await cache.getWidget('shop')).toMatchObject({ revision: 1 });
    now = 5000;
    expect(await cache.getWidget('shop')).toMatchObject({ revision: 2 });
    expect(getWidget).toHaveBeenCalledTimes(2);
  });

  it('caches "not registered" too', async () => {
    const getWidget = vi.fn(async () => null);
    const cache = createWidgetCache({ getWidget }, { now: () => 0 });
    expect(await cache.getWidget('nothing')).toBeNull();
    expect(await cache.getWidget('nothing')).toBeNull();
    expect(getWidget).toHaveBeenCalledTimes(1);
  });

  it('shares one store read between concurrent lookups', async () => {
    const registry = manualRegistry();
    const cache = createWidgetCache(registry, { now: () => 0 });
    const both = Promise.all([cache.getWidget('shop'), cache.getWidget('shop')]);
    registry.pending[0]?.resolve(widget('shop'));
    expect(await both).toEqual([widget('shop'), widget('shop')]);
    expect(registry.getWidget).toHaveBeenCalledTimes(1);
  });

  it('after invalidate, never keeps the answer of a read that started before it', async () => {
    const registry = manualRegistry();
    const cache = createWidgetCache(registry, { now: () => 0 });
    const before = cache.getWidget('shop');
    cache.invalidate('shop');
    const after = cache.getWidget('shop');
    registry.pending[1]?.resolve(widget('shop', 2));
    registry.pending[0]?.resolve(widget('shop', 1));
    expect(await before).toMatchObject({ revision: 1 });
    expect(await after).toMatchObject({ revision: 2 });
    expect(await cache.getWidget('shop')).toMatchObject({ revision: 2 });
    expect(registry.getWidget).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read', async () => {
    const getWidget = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(widget('shop'));
    const cache = createWidgetCache({ getWidget }, { now: () => 0 });
    await expect(cache.getWidget('shop')).rejects.toThrow('down');
    expect(await cache.getWidget('shop')).toEqual(widget('shop'));
    expect(cache.size).toBe(1);
  });

  it('holds at most maxEntries widgets, dropping the oldest', async () => {
    const getWidget = vi.fn(async (id: string) => widget(id));
    const cache = createWidgetCache({ getWidget }, { maxEntries: 3, now: () => 0 });
    for (const id of ['a', 'b', 'c', 'd']) await cache.getWidget(id);
    expect(cache.size).toBe(3);
    await cache.getWidget('b');
    expect(getWidget).toHaveBeenCalledTimes(4);
    await cache.getWidget('a');
    expect(getWidget).toHaveBeenCalledTimes(5);
    cache.destroy();
    expect(cache.size).toBe(0);
  });
});

describe('the refusal log', () => {
  it('counts every refusal and logs one line per widget and origin per minute, saying how many it left out', () => {
    let now = 0;
    const warn = vi.fn();
    const log = createRefusalLog({ warn, now: () => now });
    for (let i = 0; i < 5; i++) log.record('originNotAllowed', 'shop', 'https://evil.example');
    log.record('originNotAllowed', 'shop', 'https://other.example');
    log.record('notRegistered', 'stranger', null);
    expect(log.counts()).toEqual({ originNotAllowed: 6, notRegistered: 1 });
    expect(warn).toHaveBeenCalledTimes(3);
    now = 59_999;
    log.record('originNotAllowed', 'shop', 'https://evil.example');
    expect(warn).toHaveBeenCalledTimes(3);
    now = 60_000;
    log.record('originNotAllowed', 'shop', 'https://evil.example');
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenLastCalledWith({ widgetId: 'shop', origin: 'https://evil.example', suppressedSinceLastLine: 5 }, expect.any(String));
  });
});
