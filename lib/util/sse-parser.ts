/** One event of a `text/event-stream`, as the spec's dispatch gives it. */
export interface SseEvent {
  /** `event:`; `message` when the block had none. */
  type: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
  /** The last `id:` seen on the stream (it carries over to later events, as in `EventSource`). */
  lastEventId: string;
}

export interface SseParser {
  /** Feeds the next decoded chunk; a line may be split anywhere between chunks. */
  push(chunk: string): void;
}

/**
 * A Server-Sent Events parser (the WHATWG "event stream interpretation"), for streams read
 * with `fetch`: `EventSource` cannot send headers, and both readers need one (the widget the
 * conversation's secret, the dashboard's inbox the API key).
 *
 * 1. Lines end with CRLF, LF or CR; a CR at the end of a chunk waits for the next one (it
 *    may be the start of CRLF).
 * 2. A line starting with `:` is a comment (the collector's `: ping`): `onComment`.
 * 3. `field: value` (one leading space dropped); `data` lines accumulate, `event` names the
 *    event, `id` (without NUL) becomes the last event id, `retry` and others are ignored.
 * 4. An empty line dispatches the block, if it had data.
 */
export function createSseParser(onEvent: (event: SseEvent) => void, onComment: (text: string) => void = () => undefined): SseParser {
  let buffer = '';
  let data: string[] = [];
  let type = '';
  let lastEventId = '';
  // A CR ended the last chunk: an LF at the start of the next one belongs to it.
  let skipLineFeed = false;

  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0) onEvent({ type: type || 'message', data: data.join('\n'), lastEventId });
      data = [];
      type = '';
      return;
    }
    if (text.startsWith(':')) {
      onComment(text.slice(1).trimStart());
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  };

  return {
    push(chunk) {
      let text = chunk;
      if (skipLineFeed && text.startsWith('\n')) text = text.slice(1);
      skipLineFeed = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        line(buffer.slice(start, i));
        if (char === '\r') {
          if (i + 1 === buffer.length) skipLineFeed = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
