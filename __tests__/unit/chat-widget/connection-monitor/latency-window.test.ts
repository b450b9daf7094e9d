import { describe, expect, test } from 'vitest';
import { LatencyWindow } from '../../../../lib/chat-widget/connection-monitor/latency-window';

describe('LatencyWindow', () => {
  test('is 0 before the first answer, then the mean of the answers', () => {
    const window = new LatencyWindow(10);
    expect(window.average()).toBe(0);
    window.add(10);
    window.add(30);
    expect(window.average()).toBe(20);
  });

  test('keeps the last `size` answers only', () => {
    const window = new LatencyWindow(2);
    window.add(1000);
    window.add(10);
    window.add(20);
    expect(window.average()).toBe(15);
  });

  test('a negative round trip (a clock that went back) counts as 0', () => {
    const window = new LatencyWindow(10);
    window.add(-50);
    window.add(10);
    expect(window.average()).toBe(5);
  });
});
