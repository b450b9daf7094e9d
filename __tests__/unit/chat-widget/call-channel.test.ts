import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createCallChannel } from '../../../lib/chat-widget/call-channel';
import { FramewireError, isFramewireError } from '../../../lib/protocol/errors';
import { createLogger } from '../../../lib/util/logger';
import { mockPorts } from '../support/mock-channel';

type Sent = { id: string; type: string; path: string[]; argumentList: { type: string; value: unknown }[] };

/** A channel on port1; the test plays the host on port2. */
function setup() {
  const { port1, port2 } = mockPorts();
  const channel = createCallChannel(port1, createLogger('Test', false));
  const received: Sent[] = [];
  port2.addEventListener('message', (event) => received.push((event as MessageEvent).data as Sent));
  port2.start();
  const answer = (id: string, value: unknown) => port2.postMessage({ id, type: 'RAW', value });
  return { port1, port2, channel, received, answer };
}

const settle = () => vi.advanceTimersByTimeAsync(0);
const outcome = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createCallChannel', () => {
  test("posts comlink's APPLY message with an id unique on the port", async () => {
    const { channel, received, answer } = setup();
    const first = channel.call('setItem', ['k', 'v'], 1000);
    const second = channel.call('ping', [1], 1000);
    await settle();
    expect(received).toEqual([
      { id: expect.any(String), type: 'APPLY', path: ['setItem'], argumentList: [{ type: 'RAW', value: 'k' }, { type: 'RAW', value: 'v' }] },
      { id: expect.any(String), type: 'APPLY', path: ['ping'], argumentList: [{ type: 'RAW', value: 1 }] },
    ]);
    expect(received[0]?.id).not.toBe(received[1]?.id);
    // Answered out of order: each reply settles its own call.
    answer(received[1]?.id as string, { ok: true, value: 1 });
    answer(received[0]?.id as string, { ok: true, value: null });
    await expect(second).resolves.toBe(1);
    await expect(first).resolves.toBeNull();
    expect(channel.pending()).toBe(0);
  });

  test('drops replies that do not parse or answer no pending call, and keeps waiting', async () => {
    const { channel, received, answer, port2 } = setup();
    const call = outcome(channel.call('getItem', ['k'], 1000));
    await settle();
    const id = received[0]?.id as string;
    answer('other', { ok: true, value: 'x' });
    port2.postMessage({ id, type: 'HANDLER', name: 'throw', value: { isError: true, value: { message: 'x' } } });
    port2.postMessage({ id, type: 'RAW', value: { ok: true, value: 'x' }, extra: 1 });
    await settle();
    expect(channel.pending()).toBe(1);
    answer(id, { ok: true, value: 'v' });
    expect(await call).toEqual({ value: 'v' });
  });

  test("rejects with the host's error code, and with INVALID_MESSAGE for a value of the wrong type", async () => {
    const { channel, received, answer } = setup();
    const refused = outcome(channel.call('setItem', ['k', 'v'], 1000));
    const wrong = outcome(channel.call('getItem', ['k'], 1000));
    await settle();
    answer(received[0]?.id as string, { ok: false, code: 'QUOTA_EXCEEDED', message: 'Value over 65536 characters.' });
    answer(received[1]?.id as string, { ok: true, value: 42 });
    const [first, second] = [(await refused) as { error: unknown }, (await wrong) as { error: unknown }];
    expect(isFramewireError(first.error, 'QUOTA_EXCEEDED')).toBe(true);
    expect((first.error as Error).message).toBe('Value over 65536 characters.');
    expect(isFramewireError(second.error, 'INVALID_MESSAGE')).toBe(true);
  });

  test('times out with CONNECTION_TIMEOUT, leaves nothing pending and drops the late reply', async () => {
    const { channel, received, answer } = setup();
    const call = outcome(channel.call('ping', [1], 500));
    await vi.advanceTimersByTimeAsync(499);
    expect(channel.pending()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const { error } = (await call) as { error: FramewireError };
    expect(isFramewireError(error, 'CONNECTION_TIMEOUT')).toBe(true);
    expect(error.message).toBe('ping got no answer in 500 ms.');
    expect(channel.pending()).toBe(0);
    answer(received[0]?.id as string, { ok: true, value: 1 });
    await settle();
    expect(channel.pending()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('close rejects every pending call with its reason, clears the timer and closes the port', async () => {
    const { channel, port1 } = setup();
    const calls = [outcome(channel.call('ping', [1], 500)), outcome(channel.call('ping', [2], 800))];
    await settle();
    channel.close(new FramewireError('CONNECTION_DESTROYED', 'gone'));
    for (const call of calls) expect(isFramewireError(((await call) as { error: unknown }).error, 'CONNECTION_DESTROYED')).toBe(true);
    expect(channel.pending()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(port1.closed).toBe(true);
    expect(port1.listenerCount).toBe(0);
    const after = (await outcome(channel.call('ping', [3], 500))) as { error: unknown };
    expect(isFramewireError(after.error, 'CONNECTION_DESTROYED')).toBe(true);
  });

  test('an argument the browser cannot clone rejects with INVALID_MESSAGE and sends nothing', async () => {
    const { channel, received } = setup();
    const call = (await outcome(channel.call('ping', [(() => 1) as unknown as number], 500))) as { error: unknown };
    await settle();
    expect(isFramewireError(call.error, 'INVALID_MESSAGE')).toBe(true);
    expect(received).toEqual([]);
    expect(channel.pending()).toBe(0);
  });
});
