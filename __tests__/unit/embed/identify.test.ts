import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAnalyticsQueue, createClickQueue } from '../../../lib/embed/click-queue';
import { createHostApi } from '../../../lib/embed/host-api';
import { identify, parseIdentify, storedUserId } from '../../../lib/embed/identify';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { createTrack } from '../../../lib/embed/track';
import type { EventQueue } from '../../../lib/embed/queue/event-queue';
import { createLogger } from '../../../lib/util/logger';
import { fakeCollector } from '../queue/fake-collector';
import { loadEmbed, page } from '../support/load-embed';


const USER_KEY = 'framewire:demo:user_id';
const SESSION_KEY = 'framewire:demo:session_id';
const CONFIG = { widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html', collectorUrl: 'https://c.example' };

/** The analytics events this page's queue holds in localStorage (`srv_event_queue:<tab>`). */
function storedAnalytics(): Record<string, unknown>[] {
  return Object.keys(localStorage)
    .filter((key) => key.startsWith('srv_event_queue:'))
    .flatMap((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { e: Record<string, unknown>[] }).e);
}

const queues: EventQueue[] = [];
function setup() {
  const collector = fakeCollector();
  const options = { collectorUrl: 'https://c.example', widgetId: 'demo' };
  const clicks = createClickQueue(options, { fetch: collector.fetch });
  const analytics = createAnalyticsQueue(options, { fetch: collector.fetch });
  queues.push(clicks, analytics);
  const storage = createNamespacedStorage({ widgetId: 'demo' });
  const track = createTrack({ clicks, analytics }, window, () => storedUserId(storage));
  const api = createHostApi(storage, track);
  const run = (userId: unknown, traits?: unknown) => identify(storage, track, createLogger('FramewireEmbed', false), userId, traits);
  return { collector, clicks, analytics, api, run };
}

/** The context the host adds to analytics events on this test page (no referrer, no utm parameters). */
const thisPage = () => ({
  page: location.origin + location.pathname,
  referrer: '',
  utm: {},
  screen: `${screen.width}x${screen.height}`,
  userAgent: navigator.userAgent,
});

const widgetEvent = (id: string) => ({ type: 'analytics' as const, id, timestamp: Date.now(), sessionId: 's1', name: 'widget_opened' });

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
  delete page.framewire;
});
afterEach(() => {
  page.framewire?.('destroy');
  for (const queue of queues.splice(0)) queue.destroy();
  vi.restoreAllMocks();
});

describe('parseIdentify', () => {
  test('accepts a user id of 1-128 characters or null, with or without traits', () => {
    expect(parseIdentify('u1')).toBeUndefined();
    expect(parseIdentify('x'.repeat(128))).toBeUndefined();
    expect(parseIdentify(null)).toBeUndefined();
    const traits = { plan: 'pro', seats: 3, trial: false, company: null };
    expect(parseIdentify('u1', traits)).toEqual(traits);
  });

  test('returns a copy of the traits, so later changes by the page do not count', () => {
    const traits: Record<string, unknown> = { plan: 'pro' };
    const copy = parseIdentify('u1', traits);
    traits.plan = 'free';
    expect(copy).toEqual({ plan: 'pro' });
  });

  test('accepts 20 traits and strings of 256 characters, a null-prototype object too', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    expect(parseIdentify('u1', many)).toEqual(many);
    expect(parseIdentify('u1', { bio: 'b'.repeat(256) })).toEqual({ bio: 'b'.repeat(256) });
    expect(parseIdentify('u1', Object.assign(Object.create(null) as object, { a: 1 }))).toEqual({ a: 1 });
  });

  test.each([
    ['an empty user id', ''],
    ['a user id over 128 characters', 'x'.repeat(129)],
    ['a numeric user id', 42],
    ['an undefined user id', undefined],
    ['an object as user id', { id: 'u1' }],
  ])('refuses %s with INVALID_CONFIG', (_, userId) => {
    expect(() => parseIdentify(userId)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('identify: userId') }));
  });

  test.each([
    ['an array', ['a']],
    ['a string', 'plan=pro'],
    ['null', null],
    ['a class instance', new Date()],
    ['21 traits', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]))],
    ['a string over 256 characters', { bio: 'b'.repeat(257) }],
    ['a nested object', { address: { city: 'Oslo' } }],
    ['an array value', { tags: ['a'] }],
    ['a non-finite number', { score: Number.NaN }],
    ['an empty name', { '': 1 }],
    ['a name over 64 characters', { ['k'.repeat(65)]: 1 }],
    ['a __proto__ name', JSON.parse('{"__proto__": 1}') as unknown],
    ['a constructor name', { constructor: 1 }],
    ['a function value', { f: () => 1 }],
    ['traits over 4096 bytes of JSON', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'é'.repeat(200)]))],
  ])('refuses traits that are %s', (_, traits) => {
    expect(() => parseIdentify('u1', traits)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('identify: traits') }));
  });
});

describe('identify', () => {
  test('stores the user id in the widget namespace and every later analytics event carries it', async () => {
    const { api, run, analytics, clicks, collector } = setup();
    expect(api.track([widgetEvent('a0')])).toEqual({ ok: true, value: { queued: 1 } });
    run('user-42');
    expect(localStorage.getItem(USER_KEY)).toBe('user-42');
    expect(api.track([widgetEvent('a1'), { type: 'click', id: 'c1', timestamp: Date.now(), sessionId: 's1', offerId: 'o1' }])).toEqual({
      ok: true,
      value: { queued: 2 },
    });
    await Promise.all([analytics.flush(), clicks.flush()]);
    const events = collector.requests.flatMap((request) => request.batch.events) as Record<string, unknown>[];
    expect(events.find((event) => event.id === 'a0')).not.toHaveProperty('userId');
    expect(events.find((event) => event.id === 'a1')).toMatchObject({ userId: 'user-42', context: thisPage() });
    // Clicks have no userId in the collector's click envelope.
    expect(events.find((event) => event.id === 'c1')).not.toHaveProperty('userId');
  });

  test("the page's user id wins over one the widget sent", () => {
    const { api, run } = setup();
    run('user-42');
    api.track([{ ...widgetEvent('a1'), userId: 'forged' }]);
    expect(storedAnalytics()).toEqual([expect.objectContaining({ id: 'a1', userId: 'user-42' })]);
  });

  test('identify(null) forgets the id: later events carry none', () => {
    const { api, run } = setup();
    run('user-42');
    run(null);
    expect(localStorage.getItem(USER_KEY)).toBeNull();
    api.track([widgetEvent('a1')]);
    expect(storedAnalytics()[0]).not.toHaveProperty('userId');
  });

  test('ignores a stored user id that is not a valid id (the widget may write its namespace)', () => {
    const { api } = setup();
    localStorage.setItem(USER_KEY, 'x'.repeat(129));
    api.track([widgetEvent('a1')]);
    expect(storedAnalytics()[0]).not.toHaveProperty('userId');
  });

  test('with traits, queues one identify event with an id, the visitor id, a timestamp and the page context', () => {
    const { run } = setup();
    localStorage.setItem(SESSION_KEY, 'visitor-1');
    vi.spyOn(Date, 'now').mockReturnValue(1_730_956_800_000);
    run('user-42', { plan: 'pro', seats: 3 });
    const [event] = storedAnalytics();
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      timestamp: 1_730_956_800_000,
      sessionId: 'visitor-1',
      name: 'identify',
      category: 'identity',
      properties: { plan: 'pro', seats: 3 },
      userId: 'user-42',
      context: thisPage(),
    });
  });

  test("on a first visit it makes the visitor id the widget will find in the host's storage", () => {
    const { run } = setup();
    run('user-42', { plan: 'pro' });
    const sessionId = localStorage.getItem(SESSION_KEY);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(storedAnalytics()[0]).toMatchObject({ sessionId });
  });

  test('without traits it queues no event', () => {
    const { run } = setup();
    run('user-42');
    expect(storedAnalytics()).toEqual([]);
  });

  test('an invalid call changes nothing', () => {
    const { run } = setup();
    run('user-42');
    expect(() => run('', { plan: 'pro' })).toThrow();
    expect(() => run('user-43', { plan: { nested: true } })).toThrow();
    expect(localStorage.getItem(USER_KEY)).toBe('user-42');
    expect(storedAnalytics()).toEqual([]);
  });
});

describe("framewire('identify') in the embed script", () => {
  test('before init it is buffered and applied after init, in order', async () => {
    await loadEmbed([['identify', 'user-1'], ['identify', 'user-2', { plan: 'pro' }], ['init', CONFIG]]);
    expect(localStorage.getItem(USER_KEY)).toBe('user-2');
    expect(storedAnalytics()).toEqual([expect.objectContaining({ name: 'identify', userId: 'user-2', properties: { plan: 'pro' } })]);
  });

  test("init makes the visitor id before the widget can ask for it, and a later identify's event carries that same id", async () => {
    const framewire = await loadEmbed([['init', CONFIG]]);
    // Before any widget connects: the widget will find this id instead of making its own.
    const visitor = localStorage.getItem(SESSION_KEY);
    expect(visitor).toMatch(/^[0-9a-f-]{36}$/);
    framewire('identify', 'user-1', { plan: 'pro' });
    expect(storedAnalytics()).toEqual([expect.objectContaining({ name: 'identify', sessionId: visitor })]);
    expect(localStorage.getItem(SESSION_KEY)).toBe(visitor);
  });

  test('init keeps a visitor id the widget made on an earlier page', async () => {
    localStorage.setItem(SESSION_KEY, '0190aaaa-0000-7000-8000-000000000001');
    await loadEmbed([['init', CONFIG]]);
    expect(localStorage.getItem(SESSION_KEY)).toBe('0190aaaa-0000-7000-8000-000000000001');
  });

  test('after init it applies at once; the id survives a reload and identify(null) removes it', async () => {
    const framewire = await loadEmbed([['init', CONFIG]]);
    framewire('identify', 'user-1');
    expect(localStorage.getItem(USER_KEY)).toBe('user-1');
    framewire('destroy');
    // A new page: the id is still there for the next events.
    const reloaded = await loadEmbed([['init', CONFIG]]);
    expect(localStorage.getItem(USER_KEY)).toBe('user-1');
    reloaded('identify', null);
    expect(localStorage.getItem(USER_KEY)).toBeNull();
  });

  test('an invalid call is a [framewire] console error, before or after init, and nothing is thrown', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const framewire = await loadEmbed([['identify', 42]]);
    expect(error).toHaveBeenCalledWith('[framewire] identify: userId must be 1-128 characters or null');
    // Called directly: anything thrown would fail the test.
    framewire('init', CONFIG);
    expect(document.querySelectorAll('[data-framewire]')).toHaveLength(1);
    expect(error).toHaveBeenCalledTimes(1);
    framewire('identify', 'u1', { tags: ['a', 'b'] });
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/^\[framewire\] identify: traits must be/));
    expect(localStorage.getItem(USER_KEY)).toBeNull();
  });

  test('without a collectorUrl it still stores the id (there is nowhere to send the traits)', async () => {
    await loadEmbed([['init', { widgetId: 'demo', widgetUrl: CONFIG.widgetUrl }], ['identify', 'user-1', { plan: 'pro' }]]);
    expect(localStorage.getItem(USER_KEY)).toBe('user-1');
    expect(storedAnalytics()).toEqual([]);
  });
});
