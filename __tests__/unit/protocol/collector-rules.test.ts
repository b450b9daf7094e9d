import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnalyticsQueue, createClickQueue } from '../../../lib/embed/click-queue';
import { resolveEmbedConfig } from '../../../lib/embed/config';
import type { EventQueue } from '../../../lib/embed/queue/event-queue';
import { createTrack } from '../../../lib/embed/track';
import { isStorableString, storableText, utf8Length } from '../../../lib/protocol/storable';
import { isTrackEvent } from '../../../lib/protocol/methods';
import { propertiesProblem } from '../../../lib/protocol/properties';
import { fakeCollector } from '../queue/fake-collector';

const click = (fields: Record<string, unknown> = {}) => ({ type: 'click', id: 'e1', timestamp: 1, sessionId: 's', offerId: 'o', ...fields });

describe('widget ids', () => {
  test.each(['_shop', '-shop', 'shop.eu', 'a:b', '', 'x'.repeat(65)])('init refuses %j, which the collector refuses too', (widgetId) => {
    expect(resolveEmbedConfig({ widgetId, widgetUrl: 'https://w.example/' })).toMatchObject({ ok: false, error: expect.stringContaining('widgetId') });
  });

  test.each(['shop', 'shop_1-eu', '9', 'x'.repeat(64)])('init accepts %j', (widgetId) => {
    expect(resolveEmbedConfig({ widgetId, widgetUrl: 'https://w.example/' }).ok).toBe(true);
  });
});

describe('storable text', () => {
  test('NUL and unpaired surrogates are not storable; pairs are', () => {
    expect(isStorableString('a😀b')).toBe(true);
    expect(isStorableString('a\0b')).toBe(false);
    expect(isStorableString('\ud800')).toBe(false);
    expect(isStorableString('x\udc00')).toBe(false);
    expect(isStorableString('\ud83d\ude00\ude00')).toBe(false);
  });

  test('storableText drops NUL and unpaired surrogates and never splits a pair when cutting', () => {
    expect(storableText('a\0b\ud800c', 10)).toBe('abc');
    expect(storableText('ab😀', 3)).toBe('ab');
    expect(storableText('ab😀', 4)).toBe('ab😀');
  });

  test('sizes are UTF-8 bytes', () => {
    expect(utf8Length('é€😀')).toBe(2 + 3 + 4);
  });
});

describe('the track gate', () => {
  test.each([
    ['a NUL in a text field', click({ offerId: 'o\0' })],
    ['an unpaired surrogate in a text field', click({ sessionId: '\ud800' })],
    ['a property key of __proto__', { ...click(), type: 'analytics', offerId: undefined, name: 'n', properties: JSON.parse('{"__proto__":1}') as unknown }],
    ['properties nested five deep', { ...click(), type: 'analytics', offerId: undefined, name: 'n', properties: { a: { b: { c: { d: {} } } } } }],
    ['a property that is not JSON', { ...click(), type: 'analytics', offerId: undefined, name: 'n', properties: { at: new Date(0) } }],
  ])('refuses %s, which the collector would refuse', (_, event) => {
    expect(isTrackEvent(event)).toBe(false);
  });

  test('accepts undefined property values, which JSON leaves out (or sends as null in an array)', () => {
    expect(propertiesProblem({ offerId: 'o', questionId: undefined, list: [undefined] })).toBeNull();
  });

  test('accepts properties nested four deep, as the collector does', () => {
    expect(propertiesProblem({ a: { b: { c: 1 } } })).toBeNull();
    expect(isTrackEvent({ type: 'analytics', id: 'e1', timestamp: 1, sessionId: 's', name: 'n', properties: { a: { b: { c: [1] } } } })).toBe(true);
  });
});

describe('createTrack', () => {
  const queues: EventQueue[] = [];
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    for (const queue of queues.splice(0)) queue.destroy();
    history.replaceState(null, '', '/');
  });

  test('cleans what the page adds: a NUL in utm_source is dropped, a long value cut on a character boundary', async () => {
    history.replaceState(null, '', `/shop?utm_source=a%00b&utm_campaign=${'x'.repeat(255)}%F0%9F%98%80`);
    const collector = fakeCollector();
    const options = { collectorUrl: 'https://c.example', widgetId: 'demo' };
    const clicks = createClickQueue(options, { fetch: collector.fetch });
    const analytics = createAnalyticsQueue(options, { fetch: collector.fetch });
    queues.push(clicks, analytics);
    const track = createTrack({ clicks, analytics });
    expect(track([{ type: 'analytics', id: 'a1', timestamp: 1, sessionId: 's', name: 'n' }])).toEqual({ ok: true, value: { queued: 1 } });
    await analytics.flush();
    const context = (collector.requests[0]?.batch.events[0] as unknown as { context: { utm: Record<string, string> } }).context;
    expect(context.utm).toEqual({ source: 'ab', campaign: 'x'.repeat(255) });
  });

  test('counts an event in UTF-8 bytes: 3,000 euro signs (9,000 bytes) are too large', () => {
    const collector = fakeCollector();
    const clicks = createClickQueue({ collectorUrl: 'https://c.example', widgetId: 'demo' }, { fetch: collector.fetch });
    queues.push(clicks);
    const track = createTrack({ clicks, analytics: clicks });
    const properties = { a: '€'.repeat(1000), b: '€'.repeat(1000), c: '€'.repeat(1000) };
    const result = track([{ type: 'analytics', id: 'a1', timestamp: 1, sessionId: 's', name: 'n', properties }]);
    expect(result).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    expect(clicks.size()).toBe(0);
  });

  test('refuses an event from the page that the gate would refuse (identify does not pass the gate)', () => {
    const collector = fakeCollector();
    const clicks = createClickQueue({ collectorUrl: 'https://c.example', widgetId: 'demo' }, { fetch: collector.fetch });
    queues.push(clicks);
    const track = createTrack({ clicks, analytics: clicks });
    expect(track([{ type: 'click', id: 'c1', timestamp: 1, sessionId: 's\0', offerId: 'o' }])).toMatchObject({ ok: false, code: 'INVALID_MESSAGE' });
    expect(clicks.size()).toBe(0);
  });
});
