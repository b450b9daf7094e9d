import { describe, expect, it } from 'vitest';
import { anonymizeIp } from '../../server';

describe('anonymizeIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['127.0.0.1', '127.0.0.0'],
    ['::ffff:198.51.100.9', '198.51.100.0'],
    ['2001:db8:abcd:12:34:56:78:9a', '2001:db8:abcd::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
  ])('anonymizes %s to %s', (input, expected) => {
    expect(anonymizeIp(input)).toBe(expected);
  });

  it.each([undefined, null, '', 'not-an-ip', '1.2.3.4.5', '::ffff:1.2'])('never returns raw input for %j', (input) => {
    expect(anonymizeIp(input)).toBeNull();
  });
});
