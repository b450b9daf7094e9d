import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig, parseApiKeyJson, parseApiKeyList, startCollector } from '../../server';
import type { RunningCollector } from '../../server';
import { sqliteFixture } from './support/engines';
import { post } from './support/http';

const KEY = 'acme-key-0123456789abcdef';
const fixture = sqliteFixture();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startCollector({ port: 0, databaseUrl: await fixture.freshDatabaseUrl(), logLevel: 'silent' });
});
afterAll(async () => {
  await collector.close();
  await fixture.teardown();
});

describe('the widget id rule at the collector', () => {
  it.each(['_shop', '-shop', 'shop.eu', 'a:b'])('refuses a batch for %j with 400, as the embed refuses it at init', async (widgetId) => {
    const answer = await post(collector.url, '/api/track/click/batch', { widgetId, events: [] });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.stringContaining('widgetId') });
  });

  it('accepts a batch for shop_1-eu', async () => {
    expect((await post(collector.url, '/api/track/click/batch', { widgetId: 'shop_1-eu', events: [] })).status).toBe(200);
  });

  it('stops at start on an API-key grant naming a widget id no widget can have, naming the id and never the key', () => {
    const attempts = [
      () => parseApiKeyList(`${KEY}=acme:shop,shop.eu`),
      () => parseApiKeyJson(JSON.stringify([{ key: KEY, owner: 'acme', widgets: ['a:b'] }])),
      () => normalizeConfig({ apiKeys: [{ key: KEY, owner: 'acme', widgets: ['_shop'] }] }),
    ];
    const ids = ['"shop.eu"', '"a:b"', '"_shop"'];
    attempts.forEach((attempt, index) => {
      expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(`(not ${ids[index]})`) }));
      expect(attempt).not.toThrow(KEY);
    });
  });
});
