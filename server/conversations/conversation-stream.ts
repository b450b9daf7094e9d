import { CONVERSATION_LIMITS } from '../../lib/protocol/conversations';
import type { ConversationMessage, ConversationStatus } from '../../lib/protocol/conversations';
import type { ConversationBus, ConversationEvent } from './bus';
import type { EventStream } from './event-stream';
import type { ConversationStore } from './types';

/** What a conversation's stream needs. */
export interface ConversationStreamDeps {
  store: Pick<ConversationStore, 'readMessages'>;
  bus: ConversationBus;
  /** Store failures while streaming (the stream ends; the client resumes). */
  onError: (error: unknown) => void;
}

/**
 * Streams one conversation to a visitor: every message after `after`, then live.
 *
 * 1. Subscribe to the bus first, holding back what arrives, so nothing committed during the
 *    read below can slip between the read and going live.
 * 2. Read the store after the cursor, page by page, and send each message (`id: <seq>`).
 * 3. Then the held-back events: messages at or below the last seq sent are dropped
 *    (duplicates); a message further than the next seq means one in between has not been
 *    heard of yet (another collector, a reordered commit), so the store is read again from the
 *    last seq sent: never a gap, never a duplicate.
 * 4. A closed conversation says so once after the replay (`event: status`); later closes and
 *    reopens arrive live.
 * Per stream this holds: the last seq sent, a flag, the bus entry and the hub entry.
 */
export function streamConversation(deps: ConversationStreamDeps, stream: EventStream, conversationId: string, after: number): void {
  let lastSeq = after;
  let held: ConversationEvent[] | null = [];

  const sendMessage = (message: ConversationMessage): void => {
    if (message.seq <= lastSeq) return;
    stream.send('message', message, message.seq);
    lastSeq = message.seq;
  };
  const sendStatus = (status: ConversationStatus): void => stream.send('status', { status });

  /** Reads the store after the last seq sent; the first time, a closed conversation says so after its messages. */
  const catchUp = async (first: boolean): Promise<void> => {
    held ??= [];
    try {
      for (;;) {
        const page = await deps.store.readMessages({ conversationId, after: lastSeq, limit: CONVERSATION_LIMITS.messagesPerPage });
        if (stream.ended) return;
        if (page === null) {
          stream.end();
          return;
        }
        for (const message of page.messages) sendMessage(message);
        if (!page.more) {
          if (first && page.status === 'closed') sendStatus('closed');
          return;
        }
      }
    } catch (error) {
      deps.onError(error);
      stream.end();
    } finally {
      const waiting = held;
      held = null;
      for (const event of waiting) deliver(event);
    }
  };

  const deliver = (event: ConversationEvent): void => {
    if (stream.ended) return;
    if (held !== null) {
      held.push(event);
      return;
    }
    if (event.type === 'status') sendStatus(event.status);
    else if (event.type === 'resync') void catchUp(false);
    else if (event.message.seq > lastSeq + 1) void catchUp(false);
    else sendMessage(event.message);
  };

  stream.onEnd(deps.bus.subscribeConversation(conversationId, deliver));
  void catchUp(true);
}

/**
 * Streams every change of one widget's conversations to the inbox: `message` events with the
 * message, `status` events with `{ conversationId, status }`. Live only: the inbox reloads its
 * list when it (re)connects.
 */
export function streamWidget(bus: ConversationBus, stream: EventStream, widgetId: string): void {
  stream.onEnd(
    bus.subscribeWidget(widgetId, (event) => {
      if (event.type === 'message') stream.send('message', event.message);
      else if (event.type === 'status') stream.send('status', { conversationId: event.conversationId, status: event.status });
    }),
  );
}
