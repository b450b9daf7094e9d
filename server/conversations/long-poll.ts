import type { MessagePage } from '../../lib/protocol/conversations';
import type { ConversationBus } from './bus';
import type { StreamHub } from './stream-hub';
import type { MessageQuery } from './types';

/** What a long poll needs. */
export interface LongPollDeps {
  read: (query: MessageQuery) => Promise<MessagePage | null>;
  bus: ConversationBus;
  hub: StreamHub;
}

/**
 * The long-poll fallback of `GET …/messages?after=&wait=`.
 *
 * 1. Listen to the conversation first, then read the page after the cursor (so a message
 *    committed in between wakes the wait instead of being missed).
 * 2. Messages there, or `waitMs` 0: answer at once.
 * 3. Else wait until a message after the cursor or a status change arrives, `waitMs` passes,
 *    the client goes away (`signal`) or the collector stops; then read once more and answer
 *    (an empty page when nothing came).
 * `null`: the conversation does not exist.
 */
export async function longPoll(deps: LongPollDeps, query: MessageQuery, waitMs: number, signal: AbortSignal): Promise<MessagePage | null> {
  let wake: () => void = () => undefined;
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const unsubscribe = deps.bus.subscribeConversation(query.conversationId, (event) => {
    if (event.type !== 'message' || event.message.seq > query.after) wake();
  });
  const removeWaiter = deps.hub.addWaiter(wake);
  let timer: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener('abort', wake, { once: true });
  try {
    const first = await deps.read(query);
    if (first === null || first.messages.length > 0 || waitMs <= 0 || deps.hub.closed || signal.aborted) return first;
    timer = setTimeout(wake, waitMs);
    await woken;
    return await deps.read(query);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', wake);
    removeWaiter();
    unsubscribe();
  }
}
