import { describe, expect, test } from 'vitest';
import { DEFAULT_CONNECTION_MONITOR_CONFIG, normalizeConnectionMonitorConfig } from '../../../../lib/chat-widget/connection-monitor/config';

describe('normalizeConnectionMonitorConfig', () => {
  test('fills every option left out with its default and keeps the given ones', () => {
    expect(normalizeConnectionMonitorConfig({ heartbeatInterval: 1000, autoRecover: false })).toEqual({
      ...DEFAULT_CONNECTION_MONITOR_CONFIG,
      heartbeatInterval: 1000,
      autoRecover: false,
    });
  });

  test('keeps only configuration, not the pinger, target or clock, and leaves the defaults unchanged', () => {
    const config = normalizeConnectionMonitorConfig({ pinger: null, target: null, now: () => 0 } as never);
    expect(Object.keys(config).sort()).toEqual(Object.keys(DEFAULT_CONNECTION_MONITOR_CONFIG).sort());
    config.maxFailedPings = 99;
    expect(DEFAULT_CONNECTION_MONITOR_CONFIG.maxFailedPings).toBe(3);
  });
});
