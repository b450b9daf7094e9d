import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CHANNEL_ELECTION_TIMINGS, createLeadership } from '../../../lib/chat-widget/conversations/leader';
import type { ChannelLike, Leadership, LockManagerLike, SharingEnvironment } from '../../../lib/chat-widget/conversations/leader';

/** BroadcastChannels of one browser: a message reaches every other open channel of the name, later, never its sender. */
function channelHub(): (name: string) => ChannelLike {
  const open = new Set<{ name: string; listeners: Set<(event: MessageEvent) => void> }>();
  return (name) => {
    const self = { name, listeners: new Set<(event: MessageEvent) => void>() };
    open.add(self);
    return {
      postMessage(message) {
        for (const other of open) {
          if (other === self || other.name !== name) continue;
          setTimeout(() => other.listeners.forEach((listener) => listener({ data: structuredClone(message) } as MessageEvent)), 1);
        }
      },
      addEventListener: (_type, listener) => void self.listeners.add(listener),
      removeEventListener: (_type, listener) => void self.listeners.delete(listener),
      close: () => void open.delete(self),
    };
  };
}

/** A lock manager that refuses every request, as a cross-site frame with blocked storage gets. */
const refusingLocks: LockManagerLike = { request: () => Promise.reject(new DOMException('The request was denied.', 'SecurityError')) };

interface Frame {
  leadership: Leadership;
  leading: boolean;
  shared: unknown[];
}

function frames(count: number, environment: SharingEnvironment): Frame[] {
  return Array.from({ length: count }, () => {
    const frame = { leading: false, shared: [] as unknown[] } as Frame;
    frame.leadership = createLeadership({
      widgetId: 'demo',
      environment,
      onLead: () => (frame.leading = true),
      onResign: () => (frame.leading = false),
      onShared: (message) => frame.shared.push(message),
    });
    return frame;
  });
}

const leaders = (all: Frame[]) => all.filter((frame) => frame.leading).length;

describe('the stream reader elected over the BroadcastChannel', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test.each([
    ['without Web Locks', null],
    ['with Web Locks refused', refusingLocks],
  ])('%s, exactly one of eight frames leads, and stays the only one', async (_name, locks) => {
    const all = frames(8, { locks, openChannel: channelHub() });
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs);
    expect(leaders(all)).toBe(1);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.heartbeatMs);
      expect(leaders(all)).toBe(1);
    }
    all.forEach((frame) => frame.leadership.destroy());
  });

  test('when the leader goes, another frame leads within the leader timeout', async () => {
    const all = frames(4, { locks: null, openChannel: channelHub() });
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs);
    const leader = all.find((frame) => frame.leading) as Frame;
    leader.leadership.destroy();
    leader.leading = false;
    const rest = all.filter((frame) => frame !== leader);
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs);
    expect(leaders(rest)).toBe(1);
    rest.forEach((frame) => frame.leadership.destroy());
  });

  test("the leader's messages reach the other frames, and the election's own messages reach no one", async () => {
    const all = frames(3, { locks: null, openChannel: channelHub() });
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs);
    const leader = all.find((frame) => frame.leading) as Frame;
    leader.leadership.publish({ type: 'messages', messages: [1] });
    await vi.advanceTimersByTimeAsync(5);
    for (const frame of all) expect(frame.shared).toEqual(frame === leader ? [] : [{ type: 'messages', messages: [1] }]);
    all.forEach((frame) => frame.leadership.destroy());
  });

  test('a frame that joins later follows the leader instead of claiming', async () => {
    const hub = channelHub();
    const first = frames(1, { locks: null, openChannel: hub });
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs);
    const later = frames(3, { locks: null, openChannel: hub });
    await vi.advanceTimersByTimeAsync(CHANNEL_ELECTION_TIMINGS.leaderTimeoutMs * 3);
    expect(first[0]?.leading).toBe(true);
    expect(leaders(later)).toBe(0);
    [...first, ...later].forEach((frame) => frame.leadership.destroy());
  });
});
