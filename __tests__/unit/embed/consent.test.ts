import { DELIVERY_EVENT } from '../../../lib/protocol/delivery-health';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAnalyticsQueue, createClickQueue } from '../../../lib/embed/click-queue';
import { createConsentGate, parseConsent } from '../../../lib/embed/consent';
import type { ConsentGate } from '../../../lib/embed/consent';
import { createHostApi } from '../../../lib/embed/host-api';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { DEFAULT_QUEUE_CONFIG } from '../../../lib/embed/queue/config';
import { createTrack } from '../../../lib/embed/track';
import { ErrorCode } from '../../../lib/protocol/errors';
import { fakeCollector } from '../queue/fake-collector';
import { loadEmbed, page } from '../support/load-embed';

const CONFIG = { widgetId: 'demo', widgetUrl: 'https://widget.example/widget.html', collectorUrl: 'https://c.example' };
/** Past the batch timer (5 s) many times over. */
const LONG_WAIT = 60_000;

/** The ids of every event both queues hold in localStorage, any tab's. */
function storedIds(): string[] {
  return Object.keys(localStorage)
    .filter((key) => /^srv_(click|event)_queue:/.test(key))
    .flatMap((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { e: { id: string }[] }).e.map((event) => event.id));
}

/** Events a closed tab of an earlier page view left stored (heartbeat long past: adopted at once). */
function leftByEarlierPage(): void {
  localStorage.setItem('srv_click_queue:oldtab', JSON.stringify({ t: 0, e: [{ id: 'old-click', timestamp: 1, sessionId: 's0', offerId: 'o0' }] }));
  localStorage.setItem('srv_event_queue:oldtab', JSON.stringify({ t: 0, e: [{ id: 'old-event', timestamp: 1, sessionId: 's0', name: 'widget_opened' }] }));
}

const sentIds = (collector: ReturnType<typeof fakeCollector>): string[] => collector.requests.flatMap((request) => request.batch.events.map((event) => event.id));

const click = (id: string) => ({ type: 'click' as const, id, timestamp: Date.now(), sessionId: 's1', offerId: 'o1' });
const event = (id: string) => ({ type: 'analytics' as const, id, timestamp: Date.now(), sessionId: 's1', name: 'widget_opened' });

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the consent gate', () => {
  const gates: ConsentGate[] = [];
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.destroy();
  });

  /** The gate in front of real queues and the host's `track`, as the embed wires them (the widget's events arrive through `track`). */
  function setup(granted: boolean | undefined, script: Parameters<typeof fakeCollector>[0] = []) {
    const collector = fakeCollector(script);
    const options = { collectorUrl: 'https://c.example', widgetId: 'demo', jitter: 0 };
    const start = vi.fn(() => ({
      clicks: createClickQueue(options, { fetch: collector.fetch }),
      analytics: createAnalyticsQueue(options, { fetch: collector.fetch }),
    }));
    const gate = createConsentGate(start, granted, () => localStorage);
    gates.push(gate);
    const api = createHostApi(createNamespacedStorage({ widgetId: 'demo' }), createTrack(gate));
    return { collector, gate, api, start };
  }

  test('undecided, holds clicks and analytics events in memory: nothing is sent or stored', async () => {
    const { collector, api, start } = setup(undefined);
    expect(api.track([click('c1'), event('a1')])).toEqual({ ok: true, value: { queued: 2 } });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);
    expect(start).not.toHaveBeenCalled();
  });

  test('undecided, leaves what earlier pages stored unsent and in place', async () => {
    leftByEarlierPage();
    const { collector } = setup(undefined);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds().sort()).toEqual(['old-click', 'old-event']);
  });

  test('consent sends the held events, clicks included, and what earlier pages stored; later events go straight to the queues', async () => {
    leftByEarlierPage();
    const { collector, gate, api } = setup(undefined);
    api.track([click('c1'), event('a1')]);
    gate.decide(true);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentIds(collector).sort()).toEqual(['a1', 'c1', 'old-click', 'old-event']);
    api.track([event('a2')]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentIds(collector)).toContain('a2');
    expect(storedIds()).toEqual([]);
  });

  test('refusal drops held events and every stored event of both queues, this tab’s and other tabs’, and nothing else', async () => {
    // The collector is down: the queues keep what they were given.
    const { collector, gate, api } = setup(true, ['network', 'network', 'network', 'network']);
    api.track([click('c1'), event('a1')]);
    await vi.advanceTimersByTimeAsync(6_000);
    leftByEarlierPage();
    localStorage.setItem('framewire:demo:session_id', 'visitor-1');
    localStorage.setItem('srv_click_queue_notes', 'the page’s own key');
    expect(storedIds().sort()).toEqual(['a1', 'c1', 'old-click', 'old-event']);
    const requests = collector.requests.length;

    gate.decide(false);
    expect(storedIds()).toEqual([]);
    expect(localStorage.getItem('framewire:demo:session_id')).toBe('visitor-1');
    expect(localStorage.getItem('srv_click_queue_notes')).toBe('the page’s own key');
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toHaveLength(requests);
  });

  test('after refusal, new events are dropped; consent given later sends only what comes after it', async () => {
    const { collector, gate, api } = setup(undefined);
    api.track([event('held')]);
    gate.decide(false);
    expect(api.track([click('c-refused'), event('a-refused')])).toEqual({ ok: true, value: { queued: 0 } });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);

    gate.decide(true);
    api.track([click('c-after'), event('a-after')]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentIds(collector).sort()).toEqual(['a-after', 'c-after']);
  });

  test('holds at most the queue’s bound, the oldest dropped first', async () => {
    const { collector, gate, api } = setup(undefined);
    const total = DEFAULT_QUEUE_CONFIG.maxEvents + 5;
    for (let n = 0; n < total; n++) api.track([event(`a${n}`)]);
    gate.decide(true);
    for (let round = 0; round < 30; round++) await vi.advanceTimersByTimeAsync(LONG_WAIT);
    const sent = sentIds(collector);
    expect(sent).toHaveLength(DEFAULT_QUEUE_CONFIG.maxEvents);
    expect(sent).not.toContain('a4');
    expect(sent).toContain('a5');
    expect(sent).toContain(`a${total - 1}`);
  });

  test('destroy stops the queues and keeps their stored events for the next page', async () => {
    const { collector, gate, api } = setup(true, ['network']);
    api.track([click('c1')]);
    await vi.advanceTimersByTimeAsync(6_000);
    gate.destroy();
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toHaveLength(1);
    expect(storedIds()).toEqual(['c1']);
  });
});

describe('parseConsent', () => {
  test('accepts exactly { analytics: true | false }', () => {
    expect(parseConsent({ analytics: true })).toBe(true);
    expect(parseConsent({ analytics: false })).toBe(false);
  });

  test.each([
    ['nothing', undefined],
    ['a bare boolean', true],
    ['a string', { analytics: 'yes' }],
    ['a missing decision', {}],
    ['an unknown category', { analytics: true, ads: false }],
    ['null', null],
  ])('refuses %s with INVALID_CONFIG', (_, choice) => {
    expect(() => parseConsent(choice)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG, message: expect.stringContaining('consent:') }));
  });
});

describe('framewire("consent") and the Global Privacy Control on the host page', () => {
  let collector: ReturnType<typeof fakeCollector>;
  beforeEach(() => {
    document.body.innerHTML = '';
    delete page.framewire;
    collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
  });
  afterEach(() => {
    page.framewire?.('destroy');
    vi.unstubAllGlobals();
    Reflect.deleteProperty(navigator, 'globalPrivacyControl');
  });

  const setGpc = (value: unknown): void => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value, configurable: true });
  };
  /** An analytics event from the page itself: `identify` with traits. */
  const identifyWithTraits = ['identify', 'user-1', { plan: 'pro' }];
  /**
   * Names of the events sent, but the page's `$delivery` report (which an event held for
   * longer than a minute also brings: see the delivery health tests).
   */
  const sentNames = (): unknown[] =>
    collector.requests.flatMap((request) => request.batch.events.map((event) => (event as { name?: unknown }).name)).filter((name) => name !== DELIVERY_EVENT);

  test('without consentRequired or the signal, events are sent as before', async () => {
    await loadEmbed([['init', CONFIG], identifyWithTraits]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('consentRequired holds events until consent({ analytics: true })', async () => {
    const framewire = await loadEmbed([['init', { ...CONFIG, consentRequired: true }], identifyWithTraits]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);
    framewire('consent', { analytics: true });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('consentRequired and consent({ analytics: false }) drop the held events', async () => {
    const framewire = await loadEmbed([['init', { ...CONFIG, consentRequired: true }], identifyWithTraits, ['consent', { analytics: false }]]);
    framewire('identify', 'user-1', { plan: 'max' });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);
  });

  test('Global Privacy Control blocks analytics by default, read at init', async () => {
    setGpc(true);
    const framewire = await loadEmbed([['init', CONFIG], identifyWithTraits]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);
    // Turned off later in the page view: still read as it was at init.
    setGpc(false);
    framewire('identify', 'user-1', { plan: 'max' });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
  });

  test('only a true Global Privacy Control counts as the signal', async () => {
    setGpc('1');
    await loadEmbed([['init', CONFIG], identifyWithTraits]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('an explicit consent({ analytics: true }) overrides Global Privacy Control', async () => {
    setGpc(true);
    const framewire = await loadEmbed([['init', CONFIG], identifyWithTraits]);
    framewire('consent', { analytics: true });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('a decision given before init applies before any queue starts: a refusal sends nothing an earlier page stored and removes it', async () => {
    leftByEarlierPage();
    await loadEmbed([['consent', { analytics: false }], ['init', CONFIG], identifyWithTraits]);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(storedIds()).toEqual([]);
  });

  test('a decision holds for a new init after destroy in the same page view', async () => {
    const framewire = await loadEmbed([['init', { ...CONFIG, consentRequired: true }], ['consent', { analytics: true }], ['destroy']]);
    framewire('init', { ...CONFIG, consentRequired: true });
    framewire(...identifyWithTraits);
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('a malformed consent call is reported in the console and changes nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const framewire = await loadEmbed([['consent', 'yes'], ['init', { ...CONFIG, consentRequired: true }], identifyWithTraits]);
    framewire('consent', { analytics: 'true' });
    framewire('consent', { analytics: true, marketing: false });
    framewire('consent');
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(collector.requests).toEqual([]);
    expect(error.mock.calls.filter(([line]) => String(line).startsWith('[framewire] consent: analytics must be true or false'))).toHaveLength(4);
    // Still undecided, not refused: the held event goes on consent.
    framewire('consent', { analytics: true });
    await vi.advanceTimersByTimeAsync(LONG_WAIT);
    expect(sentNames()).toEqual(['identify']);
  });

  test('consentRequired must be a boolean', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await loadEmbed([['init', { ...CONFIG, consentRequired: 'yes' }]]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('consentRequired: must be true or false'));
    expect(document.querySelector('[data-framewire]')).toBeNull();
  });
});
