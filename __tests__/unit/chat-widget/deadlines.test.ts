import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createDeadlines } from '../../../lib/chat-widget/deadlines';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createDeadlines', () => {
  test('expires each key at its own deadline with one timer at a time', () => {
    const expired: string[] = [];
    const deadlines = createDeadlines<string>((key) => expired.push(key));
    deadlines.set('a', 1000);
    vi.advanceTimersByTime(100);
    deadlines.set('b', 1000);
    deadlines.set('c', 300);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(299);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['c']);
    vi.advanceTimersByTime(600);
    expect(expired).toEqual(['c', 'a']);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['c', 'a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a cleared key never expires', () => {
    const onExpire = vi.fn();
    const deadlines = createDeadlines<string>(onExpire);
    deadlines.set('a', 100);
    deadlines.clear('a');
    vi.advanceTimersByTime(1000);
    expect(onExpire).not.toHaveBeenCalled();
  });

  test('a deadline set from an expiry callback does not delay an earlier one', () => {
    const expired: string[] = [];
    const deadlines = createDeadlines<string>((key) => {
      expired.push(key);
      if (key === 'a') deadlines.set('late', 5000);
    });
    deadlines.set('a', 100);
    deadlines.set('b', 200);
    vi.advanceTimersByTime(200);
    expect(expired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(4900);
    expect(expired).toEqual(['a', 'b', 'late']);
  });

  test('clearAll leaves no timer', () => {
    const deadlines = createDeadlines<string>(() => undefined);
    deadlines.set('a', 100);
    deadlines.clearAll();
    expect(vi.getTimerCount()).toBe(0);
  });
});
