import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConversationBus, createStreamHub, hashSecret, issueSecret, loadConfig, secretMatches } from '../../server';
import type { HubStream } from '../../server';

describe('conversation secrets', () => {
  it('issues 43 characters of base64url, different every time, and matches only the secret whose digest is stored', () => {
    const secret = issueSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issueSecret()).not.toBe(secret);
    const digest = hashSecret(secret);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, digest)).toBe(true);
    const oneCharacterOff = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secretMatches(oneCharacterOff, digest)).toBe(false);
    expect(secretMatches(undefined, digest)).toBe(false);
    expect(secretMatches('', hashSecret(''))).toBe(true);
    expect(secretMatches(secret, null)).toBe(false);
    expect(secretMatches(undefined, null)).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });
});

describe('the stream hub', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const fakeStream = (openedAt: number): HubStream & { pings: number; ended: boolean } => {
    const stream = {
      openedAt,
      pings: 0,
      ended: false,
      ping: () => {
        stream.pings++;
      },
      end: () => {
        stream.ended = true;
      },
    };
    return stream;
  };

  it('pings every stream on one shared interval, ends streams past their age, and stops the timer after the last', async () => {
    vi.useFakeTimers();
    const hub = createStreamHub({ heartbeatMs: 1000, maxAgeMs: 5000, now: () => Date.now() });
    const a = fakeStream(Date.now());
    const removeA = hub.add(a);
    await vi.advanceTimersByTimeAsync(2000);
    const b = fakeStream(Date.now());
    const removeB = hub.add(b);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect([a.pings, b.pings]).toEqual([4, 2]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.ended).toBe(true);
    expect(b.ended).toBe(false);
    removeA();
    removeB();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends every stream and wakes every waiter on closeAll, and ends later ones at once', () => {
    const hub = createStreamHub({ heartbeatMs: 1000, maxAgeMs: 60_000, now: () => 0 });
    const stream = fakeStream(0);
    hub.add(stream);
    const wake = vi.fn();
    hub.addWaiter(wake);
    hub.closeAll();
    expect(stream.ended).toBe(true);
    expect(wake).toHaveBeenCalledTimes(1);
    expect(hub.size).toBe(0);
    const late = fakeStream(0);
    hub.add(late);
    expect(late.ended).toBe(true);
    const lateWake = vi.fn();
    hub.addWaiter(lateWake);
    expect(lateWake).toHaveBeenCalledTimes(1);
  });
});

describe('the conversation bus', () => {
  it('tells a conversation’s listeners and its widget’s, and forgets listeners that unsubscribed', () => {
    const bus = createConversationBus();
    const heard: string[] = [];
    const offConversation = bus.subscribeConversation('c1', (event) => heard.push(`c1:${event.type}`));
    const offWidget = bus.subscribeWidget('shop', (event) => heard.push(`shop:${event.type}`));
    bus.subscribeConversation('c2', (event) => heard.push(`c2:${event.type}`));
    bus.publish({ type: 'status', widgetId: 'shop', conversationId: 'c1', status: 'closed' });
    expect(heard).toEqual(['c1:status', 'shop:status']);
    expect(bus.isFollowed('c1', 'other')).toBe(true);
    offConversation();
    offConversation();
    offWidget();
    expect(bus.size).toBe(1);
    expect(bus.isFollowed('c1', 'shop')).toBe(false);
    bus.publish({ type: 'resync' });
    expect(heard).toEqual(['c1:status', 'shop:status', 'c2:resync']);
  });
});

describe('FRAMEWIRE_WIDGET_ORIGINS', () => {
  it('defaults to any origin, reads a comma list, and refuses "*" and paths', () => {
    expect(loadConfig({}).widgetOrigins).toBe('any');
    expect(loadConfig({ FRAMEWIRE_WIDGET_ORIGINS: ' https://widget.example , http://127.0.0.1:5174 ' }).widgetOrigins).toEqual([
      'https://widget.example',
      'http://127.0.0.1:5174',
    ]);
    expect(() => loadConfig({ FRAMEWIRE_WIDGET_ORIGINS: '*' })).toThrow(/FRAMEWIRE_WIDGET_ORIGINS must not be "\*"/);
    expect(() => loadConfig({ FRAMEWIRE_WIDGET_ORIGINS: 'https://widget.example/app' })).toThrow(/FRAMEWIRE_WIDGET_ORIGINS/);
  });
});
