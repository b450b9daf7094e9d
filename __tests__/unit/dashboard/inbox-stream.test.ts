import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { openInboxStream } from '../../../components/dashboard/inbox/inbox-stream';
import type { StatusChange, StreamState } from '../../../components/dashboard/inbox/inbox-stream';
import type { ConversationMessage } from '../../../lib/protocol/conversations';

const encoder = new TextEncoder();

/** A streaming answer whose chunks the test writes. */
function streamingAnswer() {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const response = new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  return {
    response,
    write: (text: string) => controller?.enqueue(encoder.encode(text)),
    writeBytes: (bytes: Uint8Array) => controller?.enqueue(bytes),
    end: () => controller?.close(),
  };
}

const MESSAGE: ConversationMessage = { id: 'm1', conversationId: 'c1', author: 'visitor', text: 'Grüße 👋', createdAt: 1, seq: 1 };

function open(fetch: typeof globalThis.fetch) {
  const messages: ConversationMessage[] = [];
  const statuses: StatusChange[] = [];
  const states: StreamState[] = [];
  const errors: string[] = [];
  const stream = openInboxStream({
    apiKey: 'key-1',
    widgetId: 'shop',
    baseUrl: 'https://collector.example',
    fetch,
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    onState: (s) => states.push(s),
    onError: (e) => errors.push(e.code),
  });
  return { stream, messages, statuses, states, errors };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the inbox stream', () => {
  test('sends the key in the header and delivers messages and status changes, whatever the chunks split', async () => {
    const answer = streamingAnswer();
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(answer.response));
    const s = open(fetch);
    await vi.advanceTimersByTimeAsync(0);
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe('https://collector.example/api/widgets/shop/conversations/events');
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer key-1', Accept: 'text/event-stream' });
    expect(s.states).toEqual(['connecting', 'open']);

    const bytes = encoder.encode(`: ping\n\nevent: message\nid: 1\ndata: ${JSON.stringify(MESSAGE)}\n\nevent: status\ndata: {"conversationId":"c1","status":"closed"}\n\nevent: message\ndata: not json\n\n`);
    // Split inside the multi-byte characters too.
    for (let i = 0; i < bytes.length; i += 3) answer.writeBytes(bytes.slice(i, i + 3));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.messages).toEqual([MESSAGE]);
    expect(s.statuses).toEqual([{ conversationId: 'c1', status: 'closed' }]);
    s.stream.destroy();
  });

  test('a stream silent for twice the heartbeat is dropped and opened again; pings keep it alive', async () => {
    const answers = [streamingAnswer(), streamingAnswer()];
    let call = 0;
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(answers[call++]!.response));
    const s = open(fetch);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(15_000);
      answers[0]!.write(': ping\n\n');
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.states).toEqual(['connecting', 'open', 'down']);
    expect(s.errors).toEqual(['TIMEOUT']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(s.states.at(-1)).toBe('open');
    s.stream.destroy();
  });

  test('a stream that cannot open is retried with a growing backoff; a connection that never answers times out after 15 s', async () => {
    let call = 0;
    const fetch = vi.fn<typeof globalThis.fetch>((_url, init) => {
      call += 1;
      if (call === 1) return Promise.resolve(new Response('{"error":"not found"}', { status: 404 }));
      if (call === 2) return Promise.reject(new TypeError('offline'));
      // Never answers until aborted.
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    });
    const s = open(fetch);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.errors).toEqual(['NOT_FOUND']);
    expect(s.states).toEqual(['connecting', 'down']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(s.errors).toEqual(['NOT_FOUND', 'NETWORK']);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(s.errors).toEqual(['NOT_FOUND', 'NETWORK', 'TIMEOUT']);

    s.stream.destroy();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
