import { describe, expect, test } from 'vitest';
import { createSseParser } from '../../../lib/util/sse-parser';
import type { SseEvent } from '../../../lib/util/sse-parser';

const STREAM = [
  ': ping',
  '',
  'event: message',
  'id: 7',
  'data: {"text":"héllo 👋"}',
  '',
  ':ping without space',
  'data: first line',
  'data:second line',
  'retry: 1000',
  'unknown: field',
  '',
  'event: status',
  'data: {"conversationId":"c1","status":"closed"}',
  '',
  'event: nothing',
  'id: 8',
  '',
  'data',
  '',
  '',
].join('\r\n');

function parse(chunks: string[]): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = createSseParser((event) => events.push(event), (text) => comments.push(text));
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments };
}

const EXPECTED = {
  events: [
    { type: 'message', data: '{"text":"héllo 👋"}', lastEventId: '7' },
    { type: 'message', data: 'first line\nsecond line', lastEventId: '7' },
    { type: 'status', data: '{"conversationId":"c1","status":"closed"}', lastEventId: '7' },
    // An event without data is not dispatched, but its id carries over; a bare `data` line is an empty data line.
    { type: 'message', data: '', lastEventId: '8' },
  ],
  comments: ['ping', 'ping without space'],
};

describe('the event-stream parser', () => {
  test('reads events, multi-line data, ids that carry over and comments; ignores retry and unknown fields', () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  test('gives the same events wherever the chunks split the text, even between \\r and \\n', () => {
    for (let cut = 0; cut <= STREAM.length; cut += 1) {
      expect(parse([STREAM.slice(0, cut), STREAM.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    }
    for (let a = 0; a <= STREAM.length; a += 7) {
      for (let b = a; b <= STREAM.length; b += 5) {
        expect(parse([STREAM.slice(0, a), STREAM.slice(a, b), STREAM.slice(b)]), `cuts at ${a}, ${b}`).toEqual(EXPECTED);
      }
    }
    expect(parse([...STREAM])).toEqual(EXPECTED);
  });

  test('takes \\n, \\r and \\r\\n line ends alike, and holds back an event until its empty line comes', () => {
    for (const end of ['\n', '\r', '\r\n']) {
      const text = STREAM.replaceAll('\r\n', end);
      expect(parse([text]), JSON.stringify(end)).toEqual(EXPECTED);
    }
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    parser.push('data: a\n');
    expect(events).toEqual([]);
    parser.push('\n');
    expect(events).toEqual([{ type: 'message', data: 'a', lastEventId: '' }]);
  });
});
