import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../server/analytics/days';
import { planSessions, SESSION_GAP_MS } from '../../server/analytics/sessionize';
import type { SessionRecord } from '../../server/analytics/sessionize';
import { parseUserAgent } from '../../server/analytics/user-agent';
import { sessionSourceOf } from '../../server/analytics/session-context';
import { eventRow } from './support/analytics-rows';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const MIN = 60_000;

/** Plans `rows` onto no stored sessions and returns the resulting sessions, oldest first. */
const fresh = (...rows: Parameters<typeof eventRow>[0][]): SessionRecord[] =>
  planSessions([], rows.map(eventRow)).upserted.sort((a, b) => a.firstTs - b.firstTs);

describe('sessionization', () => {
  it('keeps an event 29 min 59 s after the last one in the same session', () => {
    const sessions = fresh({ eventId: 'a', ts: T0 }, { eventId: 'b', ts: T0 + SESSION_GAP_MS - 1000 });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ sessionId: 'a', firstTs: T0, lastTs: T0 + SESSION_GAP_MS - 1000, events: 2 });
  });

  it('starts a new session for an event exactly 30 minutes after the last one', () => {
    const sessions = fresh({ eventId: 'a', ts: T0 }, { eventId: 'b', ts: T0 + SESSION_GAP_MS });
    expect(sessions.map((s) => s.sessionId)).toEqual(['a', 'b']);
  });

  it('ends a session at midnight UTC, so no session lasts 24 h or spans two days', () => {
    const midnight = Math.ceil(T0 / DAY_MS) * DAY_MS;
    const sessions = fresh({ eventId: 'a', ts: midnight - MIN }, { eventId: 'b', ts: midnight + MIN });
    expect(sessions.map((s) => s.day)).toEqual([midnight / DAY_MS - 1, midnight / DAY_MS]);
  });

  it('merges two stored sessions when a late event fills the gap between them, keeping the earlier id', () => {
    const [first, second] = fresh({ eventId: 'a', ts: T0 }, { eventId: 'c', ts: T0 + 40 * MIN }) as [SessionRecord, SessionRecord];
    const plan = planSessions([first, second], [eventRow({ eventId: 'b', ts: T0 + 20 * MIN })]);
    expect(plan.upserted).toHaveLength(1);
    expect(plan.upserted[0]).toMatchObject({ sessionId: 'a', firstTs: T0, lastTs: T0 + 40 * MIN, events: 3 });
    expect(plan.deleted.map((s) => s.sessionId)).toEqual(['c']);
    expect(plan.replaced.map((s) => s.sessionId)).toEqual(['a', 'c']);
  });

  it('leaves a stored session alone when the new events do not reach it', () => {
    const [stored] = fresh({ eventId: 'a', ts: T0 }) as [SessionRecord];
    const plan = planSessions([stored], [eventRow({ eventId: 'b', ts: T0 + 45 * MIN })]);
    expect(plan.replaced).toEqual([]);
    expect(plan.upserted.map((s) => s.sessionId)).toEqual(['b']);
  });

  it('gives the same sessions whatever the arrival order and batching', () => {
    const offsets = [0, 10, 35, 50, 79, 120, 121, 150, 181];
    const rows = offsets.map((m, i) => eventRow({ eventId: `e${i}`, ts: T0 + m * MIN, kind: i % 3 === 0 ? 'click' : 'analytics' }));
    const inOrder = planSessions([], rows).upserted;
    let stored: SessionRecord[] = [];
    for (const row of [...rows].reverse()) {
      const plan = planSessions(stored, [row]);
      const gone = new Set(plan.replaced.map((s) => s.sessionId));
      stored = [...stored.filter((s) => !gone.has(s.sessionId)), ...plan.upserted];
    }
    const shape = (list: SessionRecord[]) => list.map((s) => [s.firstTs, s.lastTs, s.events, s.clicks]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(shape(stored)).toEqual(shape(inOrder));
    expect(shape(inOrder)).toHaveLength(3);
  });

  it('takes the source from the earliest event with a page, and the user id from the latest one that has it', () => {
    const page = (path: string) => ({ page: `https://shop.example${path}`, referrer: 'https://www.news.example/a' });
    const [session] = fresh(
      { eventId: 'b', ts: T0 + MIN, context: page('/second'), userId: 'u-early' },
      { eventId: 'a', ts: T0, kind: 'click', name: 'offer_click' },
      { eventId: 'c', ts: T0 + 2 * MIN, context: page('/third'), userId: 'u-late' },
    ) as [SessionRecord];
    expect(session.source).toMatchObject({ landingPage: 'https://shop.example/second', referrerDomain: 'news.example' });
    expect(session.userId).toBe('u-late');
    expect(session.clicks).toBe(1);
  });
});

describe('event context', () => {
  it('counts a referrer on the landing page’s own host as direct traffic', () => {
    const source = sessionSourceOf(eventRow({ eventId: 'a', ts: T0, context: { page: 'https://www.shop.example/b', referrer: 'https://shop.example/a' } }));
    expect(source?.referrerDomain).toBeNull();
  });

  it('reads UTM parameters and ignores a non-http referrer', () => {
    const source = sessionSourceOf(
      eventRow({ eventId: 'a', ts: T0, context: { page: 'https://shop.example/', referrer: 'javascript:alert(1)', utm: { source: 'mail', campaign: 'fall' } } }),
    );
    expect(source).toMatchObject({ referrerDomain: null, utmSource: 'mail', utmCampaign: 'fall', utmMedium: null });
  });

  it('parses device type, browser and OS from the user agent', () => {
    expect(parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1')).toEqual({
      deviceType: 'mobile',
      browser: 'Mobile Safari 17',
      os: 'iOS 17.0',
    });
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toMatchObject({
      deviceType: 'desktop',
      browser: 'Chrome 131',
    });
    expect(parseUserAgent('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1')?.deviceType).toBe('tablet');
    expect(parseUserAgent('curl/8.0')?.deviceType).toBe('other');
    expect(parseUserAgent(null)).toBeNull();
  });
});
