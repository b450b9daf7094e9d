import { describe, expect, test } from 'vitest';
import { WriteQueue } from '../../../../lib/chat-widget/parent-storage-enhanced/write-queue';
import type { Write } from '../../../../lib/chat-widget/parent-storage-enhanced/write-queue';

let seq = 0;
const write = (key: string, value: string | null = `v${seq + 1}`): Write => ({ id: ++seq, key, value });
const keys = (queue: WriteQueue) => queue.entries().map((entry) => entry.key);

describe('WriteQueue', () => {
  test('keeps writes in the order they were made, one entry per key, the newest replacing the older in place at the end', () => {
    const queue = new WriteQueue(10);
    queue.push(write('a'));
    queue.push(write('b'));
    const newer = write('a', 'newer');
    queue.push(newer);
    expect(keys(queue)).toEqual(['b', 'a']);
    expect(queue.entries()[1]).toBe(newer);
  });

  test('the write being sent is not replaced: a newer write of its key queues behind it', () => {
    const queue = new WriteQueue(10);
    const first = write('a');
    queue.push(first);
    queue.sending = first;
    queue.push(write('a', 'second'));
    expect(queue.entries().map((entry) => entry.value)).toEqual([first.value, 'second']);
  });

  test('over maxSize the oldest goes and is counted, never the one being sent', () => {
    const queue = new WriteQueue(2);
    const a = write('a');
    const b = write('b');
    queue.push(a);
    queue.push(b);
    queue.sending = a;
    expect(queue.push(write('c'))).toEqual([b]);
    expect(keys(queue)).toEqual(['a', 'c']);
    expect(queue.dropped).toBe(1);
    queue.sending = null;
    expect(queue.push(write('d'))).toEqual([a]);
    expect(queue.dropped).toBe(2);
  });

  test('remove takes out that write only; clear empties the queue', () => {
    const queue = new WriteQueue(10);
    const old = write('a');
    queue.push(old);
    queue.push(write('a', 'new'));
    queue.remove(old);
    expect(queue.length).toBe(1);
    expect(queue.head()?.value).toBe('new');
    queue.clear();
    expect(queue.head()).toBeUndefined();
  });
});
