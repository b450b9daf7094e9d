import { describe, expect, test } from 'vitest';
import { ReadCache } from '../../../../lib/chat-widget/parent-storage-enhanced/read-cache';

describe('ReadCache', () => {
  test('answers a value until ttl ms have passed since it was set, then undefined', () => {
    let now = 1000;
    const cache = new ReadCache(5000, () => now);
    cache.set('open', 'true');
    now += 4999;
    expect(cache.get('open')).toBe('true');
    now += 1;
    expect(cache.get('open')).toBeUndefined();
  });

  test('keeps null (a missing key) as a value, apart from a key never set', () => {
    const cache = new ReadCache(5000, () => 0);
    cache.set('conversation', null);
    expect(cache.get('conversation')).toBeNull();
    expect(cache.get('never')).toBeUndefined();
  });

  test('setting again restarts the ttl; delete and clear forget', () => {
    let now = 0;
    const cache = new ReadCache(100, () => now);
    cache.set('a', '1');
    now = 90;
    cache.set('a', '2');
    now = 150;
    expect(cache.get('a')).toBe('2');
    cache.set('b', '3');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });
});
