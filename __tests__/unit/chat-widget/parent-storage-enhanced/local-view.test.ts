import { describe, expect, test } from 'vitest';
import { LocalView } from '../../../../lib/chat-widget/parent-storage-enhanced/local-view';
import type { Write } from '../../../../lib/chat-widget/parent-storage-enhanced/write-queue';
import { createMemoryStorage } from '../../../../lib/util/memory-storage';

let seq = 0;
const write = (key: string, value: string | null): Write => ({ id: ++seq, key, value });

function view() {
  let now = 0;
  const fallback = createMemoryStorage();
  const local = new LocalView({ widgetId: 'demo', cacheTtl: 5000, now: () => now, fallback });
  return { local, fallback, advance: (ms: number) => (now += ms) };
}

describe('LocalView', () => {
  test("a write is readable at once and lands in the fallback; once the cache's ttl is over, an unacknowledged write still answers", () => {
    const { local, fallback, advance } = view();
    const w = write('open', 'false');
    local.recordWrite(w);
    expect(local.value('open')).toBe('false');
    expect(fallback.getItem('framewire:demo:open')).toBe('false');
    advance(6000);
    expect(local.value('open')).toBeUndefined();
    local.markUnacknowledged(w);
    expect(local.value('open')).toBe('false');
    expect(local.valueSync('open')).toBe('false');
  });

  test("the host's answer is kept, unless a write was made while the read was on its way", () => {
    const { local, fallback } = view();
    expect(local.recordHostAnswer('conversation', 'host')).toBe('host');
    expect(local.hostHasAnswered('conversation')).toBe(true);
    expect(fallback.getItem('framewire:demo:conversation')).toBe('host');

    const w = write('open', 'mine');
    local.recordWrite(w);
    local.markUnacknowledged(w);
    expect(local.recordHostAnswer('open', 'older')).toBe('mine');
    expect(fallback.getItem('framewire:demo:open')).toBe('mine');
  });

  test("a refused write rolls the cache and fallback back to the host's last value", () => {
    const { local, fallback } = view();
    local.recordHostAnswer('conversation', 'good');
    const refused = write('conversation', 'too big');
    local.recordWrite(refused);
    local.markUnacknowledged(refused);
    local.settle(refused, 'refused');
    expect(local.value('conversation')).toBeUndefined();
    expect(fallback.getItem('framewire:demo:conversation')).toBe('good');
    expect(local.valueSync('conversation')).toBe('good');
  });

  test('a key never read rolls back to what the fallback had before the write', () => {
    const { local, fallback } = view();
    fallback.setItem('framewire:demo:open', 'true');
    const refused = write('open', 'false');
    local.recordWrite(refused);
    local.markUnacknowledged(refused);
    local.settle(refused, 'refused');
    expect(fallback.getItem('framewire:demo:open')).toBe('true');
  });

  test('a refused write with a newer one still on its way leaves the newer value alone', () => {
    const { local, fallback } = view();
    const refused = write('open', 'a');
    local.recordWrite(refused);
    local.markUnacknowledged(refused);
    const newer = write('open', 'b');
    local.recordWrite(newer);
    local.markUnacknowledged(newer);
    local.settle(refused, 'refused');
    expect(local.value('open')).toBe('b');
    expect(fallback.getItem('framewire:demo:open')).toBe('b');
  });

  test('a sent write becomes the host value a later refusal rolls back to', () => {
    const { local, fallback } = view();
    const sent = write('open', 'sent');
    local.recordWrite(sent);
    local.markUnacknowledged(sent);
    local.settle(sent, 'sent');
    const refused = write('open', 'refused');
    local.recordWrite(refused);
    local.markUnacknowledged(refused);
    local.settle(refused, 'refused');
    expect(fallback.getItem('framewire:demo:open')).toBe('sent');
  });

  test('a removal is unacknowledged null until settled; clear forgets all but the fallback', () => {
    const { local, fallback } = view();
    local.recordHostAnswer('open', 'true');
    const removal = write('open', null);
    local.recordWrite(removal);
    local.markUnacknowledged(removal);
    expect(local.value('open')).toBeNull();
    expect(local.valueSync('open')).toBeNull();
    local.recordWrite(write('other', 'x'));
    local.clear();
    expect(local.hostHasAnswered('open')).toBe(false);
    expect(local.value('other')).toBeUndefined();
    expect(fallback.getItem('framewire:demo:other')).toBe('x');
  });
});
