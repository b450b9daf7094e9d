import { describe, expect, test, vi } from 'vitest';
import { readCollectorUrl } from '../../../lib/chat-widget/widget-config';
import { configUrl } from '../../../lib/chat-widget/widget-config';

describe('the collectorUrl parameter', () => {
  test.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['https://collect.example/base/', 'https://collect.example/base/'],
  ])('takes an absolute http(s) URL: %s', (value, expected) => {
    const report = vi.fn();
    expect(readCollectorUrl(new URLSearchParams({ collectorUrl: value }), report)).toBe(expected);
    expect(report).not.toHaveBeenCalled();
  });

  test('is absent: nothing fetched, nothing reported', () => {
    const report = vi.fn();
    expect(readCollectorUrl(new URLSearchParams(), report)).toBeNull();
    expect(report).not.toHaveBeenCalled();
  });

  test.each(['/relative', 'javascript:alert(1)', 'ftp://files.example', 'not a url'])('ignores %s with a console error', (value) => {
    const report = vi.fn();
    expect(readCollectorUrl(new URLSearchParams({ collectorUrl: value }), report)).toBeNull();
    expect(report).toHaveBeenCalledWith(expect.stringMatching(/^\[framewire\] collectorUrl must be an absolute http\(s\) URL/));
  });

  test('the config URL joins the collector URL with or without a trailing slash', () => {
    expect(configUrl('https://c.example/', 'shop')).toBe('https://c.example/api/widgets/shop/config');
    expect(configUrl('https://c.example/base', 'shop')).toBe('https://c.example/base/api/widgets/shop/config');
  });
});
