/** One event of a `text/event-stream`. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/**
 * Reads a `text/event-stream` body and calls `onEvent` for each event, until the body ends or
 * its request is aborted (the caller's `AbortSignal`). Comment lines (`: ping`) are skipped.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const event: SseEvent = { event: 'message', id: null, data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.event = text;
          else if (field === 'id') event.id = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length > 0) onEvent({ ...event, data: data.join('\n') });
      }
    }
  } catch (error) {
    // An aborted stream is how the benchmark closes it.
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  } finally {
    reader.releaseLock();
  }
}
