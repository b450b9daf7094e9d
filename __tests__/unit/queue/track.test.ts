import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAnalyticsQueue, createClickQueue } from '../../../lib/embed/click-queue';
import { createHostApi } from '../../../lib/embed/host-api';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { createTrack } from '../../../lib/embed/track';
import type { EventQueue } from '../../../lib/embed/queue/event-queue';
import { fakeCollector } from './fake-collector';

const queues: EventQueue[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  history.replaceState(null, '', '/shop/shoes?utm_source=news&utm_campaign=spring&email=a@b.example#x');
});
afterEach(() => {
  for (const queue of queues.splice(0)) queue.destroy();
  vi.useRealTimers();
});

function setup() {
  const collector = fakeCollector();
  const options = { collectorUrl: 'https://c.example', widgetId: 'demo' };
  const clicks = createClickQueue(options, { fetch: collector.fetch });
  const analytics = createAnalyticsQueue(options, { fetch: collector.fetch });
  queues.push(clicks, analytics);
  const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }), createTrack({ clicks, analytics }));
  return { collector, clicks, analytics, api };
}

const clickEvent = (id: string) => ({ type: 'click' as const, id, timestamp: Date.now(), sessionId: 's1', offerId: 'o1' });

describe('the track host method', () => {
  test('queues clicks and analytics events, adding what only the host page knows', async () => {
    const { api, collector, clicks, analytics } = setup();
    const click = clickEvent('c1');
    const answer = api.track([
      click,
      { type: 'analytics', id: 'a1', timestamp: Date.now(), sessionId: 's1', name: 'widget_opened', properties: { n: 1 } },
    ]);
    expect(answer).toEqual({ ok: true, value: { queued: 2 } });
    await Promise.all([clicks.flush(), analytics.flush()]);
    const sent = Object.fromEntries(collector.requests.map((r) => [new URL(r.url).pathname, r.batch.events[0]]));
    expect(sent['/api/track/click/batch']).toEqual({ id: 'c1', timestamp: click.timestamp, sessionId: 's1', offerId: 'o1', userAgent: navigator.userAgent });
    expect(sent['/api/analytics/events/batch']).toMatchObject({
      id: 'a1',
      name: 'widget_opened',
      properties: { n: 1 },
      context: {
        page: `${location.origin}/shop/shoes`,
        utm: { source: 'news', campaign: 'spring' },
        screen: `${screen.width}x${screen.height}`,
        userAgent: navigator.userAgent,
      },
    });
    expect(sent['/api/analytics/events/batch']).not.toHaveProperty('type');
  });

  test('a retried call is idempotent: ids already queued are not counted again', () => {
    const { api, clicks } = setup();
    expect(api.track([clickEvent('c1')])).toEqual({ ok: true, value: { queued: 1 } });
    expect(api.track([clickEvent('c1'), clickEvent('c2')])).toEqual({ ok: true, value: { queued: 1 } });
    expect(clicks.size()).toBe(2);
  });

  test('answers QUOTA_EXCEEDED and queues nothing when an event is too large', () => {
    const { api, clicks, analytics } = setup();
    const big = { type: 'analytics' as const, id: 'a1', timestamp: 1, sessionId: 's', name: 'n', properties: { x: 'y'.repeat(9000) } };
    expect(api.track([clickEvent('c1'), big])).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
    expect(clicks.size() + analytics.size()).toBe(0);
  });

  test('answers INVALID_CONFIG without a collectorUrl', () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }));
    expect(api.track([clickEvent('c1')])).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
  });
});
