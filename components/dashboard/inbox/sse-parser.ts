/** One event of a `text/event-stream`, as the parser dispatches it. */
export interface SseEvent {
  /** The `event:` field; `message` when there was none. */
  type: string;
  /** The `data:` lines, joined with `\n`. */
  data: string;
  /** The last `id:` seen in the stream so far (it carries over to later events), `''` before any. */
  lastEventId: string;
}

/** What the parser reports. */
export interface SseHandlers {
  onEvent: (event: SseEvent) => void;
  /** A comment line (`: ping`), without the colon and one leading space. */
  onComment?: (text: string) => void;
}

/** A stateful `text/event-stream` parser: feed it text in chunks of any size. */
export interface SseParser {
  /** Parses one chunk; it may end anywhere, even between `\r` and `\n`. */
  push(chunk: string): void;
}

const DEFAULT_TYPE = 'message';

/**
 * A parser of the event-stream format (the HTML standard's "Interpreting an event stream"):
 *
 * 1. Lines end with `\r\n`, `\n` or `\r`; a chunk may end inside a line or between `\r` and
 *    `\n` (that `\n` is then not taken for an empty line).
 * 2. `field: value` (one space after the colon dropped); `event`, `data` (lines joined with
 *    `\n`), `id` (ignored if it has a NUL), `retry` and unknown fields ignored; a line that
 *    starts with `:` is a comment.
 * 3. An empty line dispatches the event if it has data, then resets type and data; the last
 *    id carries over.
 * The text must already be decoded (a streaming `TextDecoder` keeps characters whole).
 */
export function createSseParser(handlers: SseHandlers): SseParser {
  let pending = '';
  // A chunk that ended with `\r`: a `\n` at the start of the next one belongs to that line end.
  let afterCarriageReturn = false;
  let type = '';
  let data: string[] = [];
  let lastEventId = '';

  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0) handlers.onEvent({ type: type === '' ? DEFAULT_TYPE : type, data: data.join('\n'), lastEventId });
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) {
      handlers.onComment?.(text.slice(text.startsWith(': ') ? 2 : 1));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  };

  return {
    push(chunk) {
      let text = chunk;
      if (afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
      afterCarriageReturn = false;
      pending += text;
      let start = 0;
      for (let i = 0; i < pending.length; i += 1) {
        const char = pending[i];
        if (char !== '\n' && char !== '\r') continue;
        line(pending.slice(start, i));
        if (char === '\r') {
          if (i + 1 === pending.length) afterCarriageReturn = true;
          else if (pending[i + 1] === '\n') i += 1;
        }
        start = i + 1;
      }
      pending = pending.slice(start);
    },
  };
}
