import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatStorage } from '../../../lib/chat-widget/chat-services';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import { fromServer, mergeConversations } from '../../../lib/chat-widget/conversation';
import type { ConversationSync } from '../../../lib/chat-widget/conversation-sync';
import { ConversationClient } from '../../../lib/chat-widget/conversations';
import type { ConversationClientOptions, OutboxSnapshot, SendOutcome } from '../../../lib/chat-widget/conversations';

/** Settings and collaborators of the conversation client (tests pass `fetch`, `online`, `sharing`). */
export type ConversationOptions = Partial<Omit<ConversationClientOptions, 'collectorUrl' | 'widgetId' | 'storage' | 'anonymousId' | 'onMessages' | 'onOutbox'>>;

export interface UseConversationProps {
  /** `null`: no collector, no client (the widget answers locally). */
  collectorUrl: string | null;
  widgetId: string;
  storage: ChatStorage | null;
  sync: ConversationSync | null;
  /** The storage can be read (the host answered the handshake, or the adapter waits by itself). */
  canLoad: boolean;
  sessionId: string | null;
  options?: ConversationOptions | undefined;
  debug: boolean;
}

export interface Conversation {
  /** `null` without a collector. */
  client: ConversationClient | null;
  /** The outbox's messages as the thread shows them (`state` `sending` or `failed`). */
  pending: readonly ChatMessage[];
  /** The last message was refused: too many unsent messages. */
  outboxFull: boolean;
  send(text: string): SendOutcome;
  retry(id: string): void;
}

const EMPTY_OUTBOX: OutboxSnapshot = { messages: [], full: false };

/**
 * The widget's conversation with the collector: the client lives while the storage and the
 * collector stay the same; what it receives goes into the conversation store (`sync`), which
 * keeps it across reloads and merges it by id.
 */
export function useConversation(props: UseConversationProps): Conversation {
  const { collectorUrl, widgetId, storage, sync, canLoad, debug, options } = props;
  const [client, setClient] = useState<ConversationClient | null>(null);
  const [outbox, setOutbox] = useState<OutboxSnapshot>(EMPTY_OUTBOX);
  // Read when a conversation starts, not a reason to make a new client.
  const sessionId = useRef(props.sessionId);
  useEffect(() => {
    sessionId.current = props.sessionId;
  }, [props.sessionId]);
  const optionsRef = useRef(options);

  useEffect(() => {
    if (!collectorUrl || !storage || !sync || !canLoad) return;
    const created = new ConversationClient({
      ...optionsRef.current,
      collectorUrl,
      widgetId,
      storage,
      debug,
      anonymousId: () => sessionId.current,
      onMessages: (messages) => sync.append(messages.map(fromServer)),
      onOutbox: setOutbox,
    });
    setClient(created);
    void created.start();
    return () => {
      created.destroy();
      setClient(null);
      setOutbox(EMPTY_OUTBOX);
    };
  }, [collectorUrl, widgetId, storage, sync, canLoad, debug]);

  const pending = useMemo(
    () => outbox.messages.map((message): ChatMessage => ({ id: message.id, role: 'visitor', text: message.text, at: message.at, state: message.state })),
    [outbox],
  );
  const send = useCallback((text: string): SendOutcome => client?.send(text) ?? 'invalid', [client]);
  const retry = useCallback((id: string) => client?.retry(id), [client]);
  return { client, pending, outboxFull: outbox.full, send, retry };
}

/** The thread: the stored conversation and the outbox's messages, each once. */
export function threadOf(messages: readonly ChatMessage[], pending: readonly ChatMessage[]): readonly ChatMessage[] {
  return pending.length === 0 ? messages : mergeConversations(messages, pending);
}
