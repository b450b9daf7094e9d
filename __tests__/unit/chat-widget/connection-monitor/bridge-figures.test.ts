import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BridgeFigures } from '../../../../lib/chat-widget/connection-monitor/bridge-figures';
import { ConnectionMonitor } from '../../../../lib/chat-widget/connection-monitor/monitor';
import { Tracker } from '../../../../lib/chat-widget/tracker';
import type { TrackEvent } from '../../../../lib/protocol/host-api';
import { BRIDGE_EVENT, DELIVERY_REPORT_INTERVAL_MS } from '../../../../lib/protocol/delivery-health';
import { bridgeReportSchema } from '../../../../lib/protocol/delivery-health-schema';
import { ErrorCode, FramewireError } from '../../../../lib/protocol/errors';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A host whose answers take `latency()` ms while `answering`, else never come in time. */
function host(latency: () => number) {
  let answering = true;
  const callWithTimeout = vi.fn(
    (timeoutMs: number) =>
      new Promise<number>((resolve, reject) => {
        if (answering) setTimeout(() => resolve(Date.now()), latency());
        else setTimeout(() => reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, 'no pong')), timeoutMs);
      }),
  );
  return { pinger: { callWithTimeout }, setAnswering: (value: boolean) => (answering = value) };
}

describe('BridgeFigures', () => {
  test('reports disconnects and the round trips’ median and 99th percentile, at most once a minute, then starts again', async () => {
    let n = 0;
    // Round trips 10, 20, … 120 ms, one per heartbeat.
    const { pinger, setAnswering } = host(() => 10 * (1 + (n++ % 12)));
    const monitor = new ConnectionMonitor({ pinger, target: null });
    const figures = new BridgeFigures(monitor);
    monitor.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(figures.take()).toBeNull();
    setAnswering(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getState()).toBe('disconnected');
    setAnswering(true);
    await vi.advanceTimersByTimeAsync(25_000);
    const report = figures.take();
    expect(report).toMatchObject({ disconnects: 1 });
    expect(bridgeReportSchema.safeParse(report).success).toBe(true);
    expect(report?.samples).toBeGreaterThan(5);
    expect(report?.p50_ms).toBeGreaterThanOrEqual(10);
    expect(report?.p99_ms).toBeGreaterThanOrEqual(report?.p50_ms ?? 0);
    expect(report?.p99_ms).toBeLessThanOrEqual(120);
    // Just reported: nothing until a minute has passed, and then only what came since.
    expect(figures.take()).toBeNull();
    await vi.advanceTimersByTimeAsync(DELIVERY_REPORT_INTERVAL_MS);
    expect(figures.take()).toMatchObject({ disconnects: 0 });
    figures.destroy();
    monitor.destroy();
  });

  test('the tracker sends the report along with an event it records anyway, never on its own', async () => {
    const { pinger } = host(() => 15);
    const monitor = new ConnectionMonitor({ pinger, target: null });
    const figures = new BridgeFigures(monitor);
    const sent: TrackEvent[] = [];
    const tracker = new Tracker({ enqueue: (event) => void sent.push(event) }, figures);
    tracker.setSessionId('s1');
    monitor.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const names = (): string[] => sent.map((event) => (event.type === 'analytics' ? event.name : event.type));
    expect(names()).toEqual(['widget_loaded']);
    tracker.event('widget_opened');
    tracker.event('widget_closed');
    expect(names()).toEqual(['widget_loaded', 'widget_opened', BRIDGE_EVENT, 'widget_closed']);
    const report = sent[2];
    expect(report?.type === 'analytics' && report.properties).toMatchObject({ disconnects: 0, p50_ms: 15, p99_ms: 15 });
    figures.destroy();
    monitor.destroy();
  });
});
