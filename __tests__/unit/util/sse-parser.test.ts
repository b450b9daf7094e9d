import { describe, expect, test } from 'vitest';
import { createSseParser } from '../../../lib/util/sse-parser';
import type { SseEvent } from '../../../lib/util/sse-parser';

const STREAM =
  ': ping\n' +
  'event: message\nid: 1\ndata: {"a":1}\n\n' +
  'event: status\r\ndata: {"status":"closed"}\r\n\r\n' +
  'data: first line\rdata:second line\r\r' +
  'id: 7\nevent: message\ndata: {"b":\ndata: 2}\n\n' +
  ': another comment\n';

function parseAll(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = createSseParser((event) => events.push(event), (text) => comments.push(text));
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments };
}

const EXPECTED: SseEvent[] = [
  { type: 'message', data: '{"a":1}', lastEventId: '1' },
  { type: 'status', data: '{"status":"closed"}', lastEventId: '1' },
  { type: 'message', data: 'first line\nsecond line', lastEventId: '1' },
  { type: 'message', data: '{"b":\n2}', lastEventId: '7' },
];

describe('the event stream parser', () => {
  test('reads events, types, ids, multi-line data and comments, with LF, CRLF and CR line ends', () => {
    const { events, comments } = parseAll([STREAM]);
    expect(events).toEqual(EXPECTED);
    expect(comments).toEqual(['ping', 'another comment']);
  });

  test('gives the same events whatever the chunk boundaries, one character at a time included', () => {
    expect(parseAll([...STREAM]).events).toEqual(EXPECTED);
    for (let cut = 1; cut < STREAM.length; cut++) {
      expect(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)]).events).toEqual(EXPECTED);
    }
  });

  test('dispatches nothing for a block without data, and nothing before its blank line', () => {
    const { events } = parseAll(['event: message\nid: 3\n\n', 'data: waiting']);
    expect(events).toEqual([]);
  });

  test('a CRLF split between two chunks ends one line, not two', () => {
    const { events } = parseAll(['data: x\r', '\ndata: y\r\n\r\n']);
    expect(events).toEqual([{ type: 'message', data: 'x\ny', lastEventId: '' }]);
  });
});
