import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server';
import type { ApiKeyGrant, CollectorOptions } from '../../server';
import { ORIGIN_REFUSAL_ERROR, UNREGISTERED_REFUSAL_ERROR } from '../../lib/protocol/collector';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { analytics, batch, click, clicks } from '../support/events';
import { post, send } from './support/http';
import { listenApp, widgetDocument } from './support/widget-app';
import type { ListeningApp } from './support/widget-app';

const KEY = 'acme-all-key-0123456789';
const KEYS: ApiKeyGrant[] = [{ key: KEY, owner: 'acme', widgets: '*' }];
const CLICK_BATCH = '/api/track/click/batch';
const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';

describe.each(ENGINES)('ingestion and the widget registry on $name', ({ create }) => {
  let fixture: EngineFixture;
  const running: ListeningApp[] = [];

  const start = async (options: CollectorOptions = {}): Promise<ListeningApp> => {
    const app = await listenApp(fixture, { apiKeys: KEYS, ...options });
    running.push(app);
    return app;
  };
  const register = async (app: ListeningApp, widgetId: string, allowedOrigins: string[]) => {
    const answer = await send(`${app.url}/api/widgets/${widgetId}`, { method: 'PUT', body: widgetDocument({ allowedOrigins }), headers: { authorization: `Bearer ${KEY}` } });
    expect(answer.status).toBeLessThan(300);
  };
  const stored = async (app: ListeningApp, widgetId: string) => (await app.store.listEvents({ widgetId })).length;

  beforeAll(() => {
    fixture = create();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('refuses a batch from a page origin outside allowedOrigins with 403 the page can read, storing nothing, and counts it', async () => {
    const app = await start();
    await register(app, 'shop', [SHOP]);
    const refused = await post(app.url, CLICK_BATCH, batch(clicks(3), 'shop'), { headers: { origin: EVIL } });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: ORIGIN_REFUSAL_ERROR });
    expect(refused.headers['access-control-allow-origin']).toBe(EVIL);
    const beacon = await post(app.url, '/api/analytics/events/batch', batch([analytics()], 'shop'), { contentType: 'text/plain', headers: { origin: EVIL } });
    expect(beacon.status).toBe(403);
    expect(beacon.json).toEqual({ error: ORIGIN_REFUSAL_ERROR });
    const single = await post(app.url, '/api/track/click', { widgetId: 'shop', ...click() }, { headers: { origin: EVIL } });
    expect(single.status).toBe(403);
    expect(await stored(app, 'shop')).toBe(0);
    expect(app.collector.refusals()).toEqual({ originNotAllowed: 3, notRegistered: 0 });
  });

  it('accepts batches from a listed origin and from clients that send no Origin', async () => {
    const app = await start();
    await register(app, 'shop', [SHOP]);
    const allowed = await post(app.url, CLICK_BATCH, batch(clicks(2), 'shop'), { headers: { origin: SHOP } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP);
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'))).status).toBe(200);
    expect(await stored(app, 'shop')).toBe(3);
    expect(app.collector.refusals()).toEqual({ originNotAllowed: 0, notRegistered: 0 });
  });

  it('accepts any origin for a widget whose allowedOrigins is empty, and for unregistered widgets by default', async () => {
    const app = await start();
    await register(app, 'open', []);
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'open'), { headers: { origin: EVIL } })).status).toBe(200);
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'unregistered'), { headers: { origin: EVIL } })).status).toBe(200);
    expect(await stored(app, 'open')).toBe(1);
    expect(await stored(app, 'unregistered')).toBe(1);
  });

  it('applies a save through the API to the next batch, without waiting for the cache', async () => {
    const app = await start();
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: EVIL } })).status).toBe(200);
    await register(app, 'shop', [SHOP]);
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: EVIL } })).status).toBe(403);
    await register(app, 'shop', [SHOP, EVIL]);
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: EVIL } })).status).toBe(200);
  });

  it('checks the collector-wide allowed origins first, with their own 403 and no CORS headers', async () => {
    const app = await start({ allowedOrigins: [SHOP] });
    await register(app, 'shop', ['https://other.example']);
    const collectorWide = await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: EVIL } });
    expect(collectorWide.status).toBe(403);
    expect(collectorWide.json).toEqual({ error: 'origin not allowed' });
    expect(collectorWide.headers['access-control-allow-origin']).toBeUndefined();
    const perWidget = await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: SHOP } });
    expect(perWidget.json).toEqual({ error: ORIGIN_REFUSAL_ERROR });
    expect(perWidget.headers['access-control-allow-origin']).toBe(SHOP);
    expect(app.collector.refusals().originNotAllowed).toBe(1);
  });

  it('with registration required, refuses unregistered widgets with 403 widget_not_registered, Origin or not', async () => {
    const app = await start({ requireRegistration: true });
    await register(app, 'shop', []);
    const fromPage = await post(app.url, CLICK_BATCH, batch(clicks(1), 'stranger'), { headers: { origin: SHOP } });
    expect(fromPage.status).toBe(403);
    expect(fromPage.json).toEqual({ error: UNREGISTERED_REFUSAL_ERROR });
    expect(fromPage.headers['access-control-allow-origin']).toBe(SHOP);
    const fromServer = await post(app.url, CLICK_BATCH, batch(clicks(1), 'stranger'));
    expect(fromServer.status).toBe(403);
    expect(fromServer.json).toEqual({ error: UNREGISTERED_REFUSAL_ERROR });
    expect((await post(app.url, CLICK_BATCH, batch(clicks(1), 'shop'), { headers: { origin: SHOP } })).status).toBe(200);
    expect(await stored(app, 'stranger')).toBe(0);
    expect(app.collector.refusals()).toEqual({ originNotAllowed: 0, notRegistered: 2 });
  });
});

describe('FRAMEWIRE_REQUIRE_REGISTRATION', () => {
  it('is off by default, on for 1/true/yes, and a bad value stops the start naming the variable', () => {
    expect(loadConfig({}).requireRegistration).toBe(false);
    expect(loadConfig({ FRAMEWIRE_REQUIRE_REGISTRATION: '1' }).requireRegistration).toBe(true);
    expect(loadConfig({ FRAMEWIRE_REQUIRE_REGISTRATION: 'true' }).requireRegistration).toBe(true);
    expect(loadConfig({ FRAMEWIRE_REQUIRE_REGISTRATION: '0' }).requireRegistration).toBe(false);
    expect(() => loadConfig({ FRAMEWIRE_REQUIRE_REGISTRATION: 'maybe' })).toThrow(/FRAMEWIRE_REQUIRE_REGISTRATION/);
  });
});
