import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DebouncedWrites } from '../../../../lib/chat-widget/parent-storage-enhanced/debounced-writes';
import type { Write } from '../../../../lib/chat-widget/parent-storage-enhanced/write-queue';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

let seq = 0;
const write = (key: string, value: string): Write => ({ id: ++seq, key, value });

function debounced() {
  const released: Write[] = [];
  const writes = new DebouncedWrites({ delay: 300, maxWait: 1000, now: () => Date.now(), onRelease: (w) => released.push(w) });
  /** What the adapter does for each write: cancel the pending one, hold the new one. */
  const make = (key: string, value: string) => writes.hold(write(key, value), writes.cancel(key));
  return { writes, released, make };
}

describe('DebouncedWrites', () => {
  test('writes of one key within delay are released once, with the last value', async () => {
    const { released, make } = debounced();
    make('conversation', '1');
    await vi.advanceTimersByTimeAsync(200);
    make('conversation', '2');
    await vi.advanceTimersByTimeAsync(299);
    expect(released).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(released.map((w) => w.value)).toEqual(['2']);
  });

  test('a stream of writes is still released maxWait after its first write', async () => {
    const { released, make } = debounced();
    // Writes at 0, 250, 500 and 750: each would postpone the write by delay (300 ms), but
    // the run started at 0, so the last one is due at 1000, not 1050.
    for (let i = 0; i < 4; i++) {
      if (i > 0) await vi.advanceTimersByTimeAsync(250);
      make('conversation', String(i));
    }
    await vi.advanceTimersByTimeAsync(249);
    expect(released).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(released.map((w) => w.value)).toEqual(['3']);
  });

  test('release sends the pending write now; takeAll takes every pending write without releasing any', async () => {
    const { writes, released, make } = debounced();
    make('a', '1');
    make('b', '2');
    writes.release('a');
    expect(released.map((w) => w.key)).toEqual(['a']);
    make('c', '3');
    expect(writes.takeAll().map((w) => w.key)).toEqual(['b', 'c']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(released.map((w) => w.key)).toEqual(['a']);
    expect(writes.keys()).toEqual([]);
  });
});
