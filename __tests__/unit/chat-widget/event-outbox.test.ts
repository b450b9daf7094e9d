import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConnectionListener, ConnectionState } from '../../../lib/chat-widget/connection-monitor';
import { EventOutbox } from '../../../lib/chat-widget/event-outbox';
import { Tracker } from '../../../lib/chat-widget/tracker';
import { ErrorCode, FramewireError } from '../../../lib/protocol/errors';
import type { TrackEvent } from '../../../lib/protocol/host-api';
import { createMemoryStorage } from '../../../lib/util/memory-storage';

const click = (n: number): TrackEvent => ({ type: 'click', id: `e${n}`, timestamp: 1000 + n, sessionId: 's', offerId: 'o' });

/** A host whose `track` answers as the test says, recording what it was given. */
function fakeHost() {
  const calls: TrackEvent[][] = [];
  let answer: (events: TrackEvent[]) => Promise<unknown> = async (events) => ({ queued: events.length });
  const bridge = {
    call: vi.fn((_method: 'track', events: TrackEvent[]) => {
      calls.push(events);
      return answer(events);
    }),
  };
  return { bridge: bridge as never, calls, answerWith: (next: typeof answer) => (answer = next) };
}

function fakeMonitor(initial: ConnectionState) {
  let state = initial;
  const listeners = new Set<ConnectionListener>();
  return {
    getState: () => state,
    addListener: (listener: ConnectionListener) => (listeners.add(listener), () => void listeners.delete(listener)),
    set(next: ConnectionState) {
      state = next;
      for (const listener of listeners) listener(next, { lastPingTime: null, lastPongTime: null, failedPings: 0, totalPings: 0, averageLatency: 0 });
    },
    listeners,
  };
}

const timeout = () => Promise.reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'timeout'));
const settle = () => vi.advanceTimersByTimeAsync(0);
const outboxes: EventOutbox[] = [];
const make = (options: ConstructorParameters<typeof EventOutbox>[0]) => {
  const outbox = new EventOutbox({ storage: createMemoryStorage(), ...options });
  outboxes.push(outbox);
  return outbox;
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  for (const outbox of outboxes.splice(0)) outbox.destroy();
  vi.useRealTimers();
});

describe('EventOutbox', () => {
  test('hands the events of one turn over in one track call, in order, at most 25 per call', async () => {
    const host = fakeHost();
    const outbox = make({ widgetId: 'demo', bridge: host.bridge });
    for (let i = 0; i < 30; i++) outbox.enqueue(click(i));
    await settle();
    expect(host.calls.map((batch) => batch.length)).toEqual([25, 5]);
    expect(host.calls.flat().map((event) => event.id)).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`));
    expect(outbox.size()).toBe(0);
  });

  test('keeps the events when the host does not answer and hands the same ids over again later', async () => {
    const host = fakeHost();
    host.answerWith(timeout);
    const outbox = make({ widgetId: 'demo', bridge: host.bridge });
    outbox.enqueue(click(1));
    await settle();
    expect(outbox.size()).toBe(1);
    host.answerWith(async () => ({ queued: 1 }));
    await vi.advanceTimersByTimeAsync(1999);
    expect(host.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.calls.map((batch) => batch[0]?.id)).toEqual(['e1', 'e1']);
    expect(outbox.size()).toBe(0);
  });

  test('waits while the monitor says disconnected and hands over as soon as it says connected', async () => {
    const host = fakeHost();
    const monitor = fakeMonitor('disconnected');
    const outbox = make({ widgetId: 'demo', bridge: host.bridge, monitor });
    outbox.enqueue(click(1));
    outbox.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.calls).toHaveLength(0);
    monitor.set('connected');
    await settle();
    expect(host.calls).toEqual([[click(1), click(2)]]);
  });

  test('drops the oldest events beyond maxEvents and counts them', async () => {
    const host = fakeHost();
    const monitor = fakeMonitor('disconnected');
    const outbox = make({ widgetId: 'demo', bridge: host.bridge, monitor, maxEvents: 3 });
    for (let i = 0; i < 5; i++) outbox.enqueue(click(i));
    expect(outbox.size()).toBe(3);
    expect(outbox.droppedCount()).toBe(2);
    monitor.set('connected');
    await settle();
    expect(host.calls.flat().map((event) => event.id)).toEqual(['e2', 'e3', 'e4']);
  });

  test('drops only the event the host refuses, handing the others over', async () => {
    const host = fakeHost();
    host.answerWith(async (events) => {
      if (events.some((event) => event.id === 'e2')) throw new FramewireError(ErrorCode.INVALID_MESSAGE, 'bad');
      return { queued: events.length };
    });
    const outbox = make({ widgetId: 'demo', bridge: host.bridge });
    for (let i = 1; i <= 3; i++) outbox.enqueue(click(i));
    await settle();
    const delivered = host.calls.filter((batch) => batch.length === 1 && batch[0]?.id !== 'e2').flat().map((event) => event.id);
    expect(delivered).toEqual(['e1', 'e3']);
    expect(outbox.size()).toBe(0);
  });

  test('turns itself off when the host page takes no events (no collectorUrl)', async () => {
    const host = fakeHost();
    host.answerWith(() => Promise.reject(new FramewireError(ErrorCode.INVALID_CONFIG, 'No collectorUrl configured.')));
    const outbox = make({ widgetId: 'demo', bridge: host.bridge });
    outbox.enqueue(click(1));
    await settle();
    outbox.enqueue(click(2));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.calls).toHaveLength(1);
    expect(outbox.size()).toBe(0);
  });

  test('keeps waiting events across an iframe reload and hands them over from the new page', async () => {
    const storage = createMemoryStorage();
    const silent = fakeHost();
    silent.answerWith(timeout);
    const before = make({ widgetId: 'demo', bridge: silent.bridge, storage });
    before.enqueue(click(1));
    await settle();
    before.destroy();
    const host = fakeHost();
    make({ widgetId: 'demo', bridge: host.bridge, storage });
    await settle();
    expect(host.calls).toEqual([[click(1)]]);
    expect(storage.getItem('framewire:demo:outbox')).toBeNull();
  });

  test('destroy leaves no timer or monitor listener', async () => {
    const host = fakeHost();
    host.answerWith(timeout);
    const monitor = fakeMonitor('connected');
    const outbox = make({ widgetId: 'demo', bridge: host.bridge, monitor });
    outbox.enqueue(click(1));
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    outbox.destroy();
    expect(vi.getTimerCount()).toBe(0);
    expect(monitor.listeners.size).toBe(0);
  });

  test('standalone (no bridge) keeps nothing', () => {
    const outbox = make({ widgetId: 'demo', bridge: null });
    outbox.enqueue(click(1));
    expect(outbox.size()).toBe(0);
  });
});

describe('Tracker', () => {
  test('stamps each event with a UUIDv7 and the time it happened, and holds events until the session id is known', () => {
    vi.setSystemTime(5_000_000);
    const enqueue = vi.fn();
    const tracker = new Tracker({ enqueue });
    tracker.click({ offerId: 'o1', questionId: 'q1', buttonVariantId: 'v1' });
    expect(enqueue).not.toHaveBeenCalled();
    vi.setSystemTime(6_000_000);
    tracker.setSessionId('s1');
    const events = enqueue.mock.calls.map(([event]) => event as TrackEvent);
    expect(events.map((event) => [event.type, event.type === 'analytics' ? event.name : event.offerId])).toEqual([
      ['analytics', 'widget_loaded'],
      ['click', 'o1'],
      ['analytics', 'offer_clicked'],
    ]);
    const [, clickEvent] = events;
    expect(clickEvent).toMatchObject({ sessionId: 's1', timestamp: 5_000_000, questionId: 'q1', buttonVariantId: 'v1' });
    expect(clickEvent?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
  });

  test('sends widget_loaded once, however often the session id is set', () => {
    const enqueue = vi.fn();
    const tracker = new Tracker({ enqueue });
    tracker.setSessionId('s1');
    tracker.setSessionId('s2');
    tracker.event('message_sent', { length: 3 });
    expect(enqueue.mock.calls.map(([event]) => [(event as { name: string }).name, (event as TrackEvent).sessionId])).toEqual([
      ['widget_loaded', 's1'],
      ['message_sent', 's1'],
    ]);
  });
});
