import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import { watchFrameVisibility } from '../../../lib/chat-widget/conversations/frame-visibility';
import { UnreadCounter } from '../../../lib/chat-widget/conversations/unread';

const reply = (id: string, role: ChatMessage['role'] = 'agent'): ChatMessage => ({ id, role, text: id, at: 1 });

describe('UnreadCounter', () => {
  test('what the thread holds at load is read; later replies count while not seen, visitor messages never; seen resets to 0', () => {
    const reports: number[] = [];
    const counter = new UnreadCounter({ report: (count) => reports.push(count) });
    counter.note([reply('old')]);
    counter.setSeen(false);
    counter.note([reply('old'), reply('mine', 'visitor'), reply('a'), reply('b', 'bot')]);
    counter.note([reply('old'), reply('a'), reply('b', 'bot')]);
    expect(counter.count).toBe(2);
    counter.setSeen(true);
    counter.note([reply('old'), reply('a'), reply('b', 'bot'), reply('c')]);
    expect(reports).toEqual([2, 0]);
  });
});

describe('watchFrameVisibility', () => {
  const restore: (() => void)[] = [];
  afterEach(() => {
    for (const undo of restore.splice(0)) undo();
  });

  /** A controllable IntersectionObserver for the document's window (jsdom has none). */
  function fakeObserver() {
    let callback: ((entries: { isIntersecting: boolean }[]) => void) | null = null;
    class Observer {
      constructor(cb: (entries: { isIntersecting: boolean }[]) => void) {
        callback = cb;
      }
      observe(): void {}
      disconnect(): void {
        callback = null;
      }
    }
    Object.defineProperty(window, 'IntersectionObserver', { configurable: true, value: Observer });
    restore.push(() => Reflect.deleteProperty(window, 'IntersectionObserver'));
    return { intersect: (isIntersecting: boolean) => callback?.([{ isIntersecting }]), observing: () => callback !== null };
  }

  test('counts a frame as not shown until the observer first says it intersects, then follows it', () => {
    const observer = fakeObserver();
    const seen: boolean[] = [];
    const watch = watchFrameVisibility((visible) => seen.push(visible));
    observer.intersect(true);
    observer.intersect(false);
    expect(seen).toEqual([false, true, false]);
    watch.stop();
    expect(observer.observing()).toBe(false);
  });

  test('a viewport of no size (a hidden iframe in Firefox, with no event) is not shown when asked', () => {
    const observer = fakeObserver();
    const watch = watchFrameVisibility(() => undefined);
    observer.intersect(true);
    expect(watch.visibleNow()).toBe(true);
    const width = vi.spyOn(window, 'innerWidth', 'get').mockReturnValue(0);
    restore.push(() => width.mockRestore());
    expect(watch.visibleNow()).toBe(false);
    watch.stop();
  });
});
