import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { ConnectionState } from '../../../lib/chat-widget/connection-monitor';
import { ensureSessionId } from '../../../lib/chat-widget/session';
import { WIDGET_EVENTS } from '../../../lib/chat-widget/tracker';
import type { Tracker } from '../../../lib/chat-widget/tracker';
import { uuidv7 } from '../../../lib/util/ids';
import type { ChatServices, ChatStorage } from '../chat-services';
import { cannedReply, CHAT_STORAGE_KEYS, parseConversation, serializeConversation } from '../conversation';
import type { ChatMessage } from '../types';
import { useChatServices } from './useChatServices';
import { useConnectionState } from './useConnectionState';

export interface UseChatStateProps {
  /** The bridge to the host page; `null` when the widget runs standalone. */
  bridge: BridgeClient | null;
  /** @default 'demo' */
  widgetId?: string;
  /**
   * The enhanced adapter (retries, cache, queue, fallback) and a connection monitor; off,
   * the basic adapter, behaviour unchanged. @default false
   */
  useEnhancedStorage?: boolean;
  /** Services built outside React (the app entry does, for its debug handle); else the hook builds its own. */
  services?: ChatServices;
  /** The widget's answer to a visitor's message. @default a canned acknowledgement */
  reply?: (text: string) => string;
  /** @default false */
  debug?: boolean;
}

export interface ChatState {
  /** `loading` until the conversation, open state and session id are read. */
  status: 'loading' | 'ready' | 'error';
  messages: readonly ChatMessage[];
  /** Appends the visitor's message and the widget's answer, and persists the conversation. */
  sendMessage(text: string): void;
  /** The widget's own open (true) or minimised (false) state, persisted. */
  isOpen: boolean;
  setOpen(open: boolean): void;
  sessionId: string | null;
  connectionState: ConnectionState;
  standalone: boolean;
  storage: ChatStorage | null;
  /** Records clicks and analytics events; `null` until the services exist. */
  tracker: Tracker | null;
}

/** Writes without letting a refused write (basic adapter) become an unhandled rejection. */
function persist(storage: ChatStorage, key: string, value: string): void {
  Promise.resolve(storage.setItem(key, value)).catch((error: unknown) => console.warn('[framewire] Could not save', key, error));
}

/** The chat's state, kept in the host page through the chosen storage adapter. */
export function useChatState(props: UseChatStateProps): ChatState {
  const { bridge, widgetId = 'demo', useEnhancedStorage = false, reply = cannedReply, debug = false } = props;
  const services = useChatServices(props.services, bridge, widgetId, useEnhancedStorage, debug);
  const storage = services?.storage ?? null;
  const tracker = services?.tracker ?? null;
  const standalone = bridge === null;
  const connectionState = useConnectionState(services?.monitor ?? null, bridge);
  // The basic adapter cannot read before the handshake; the enhanced one waits or falls back by itself.
  const canLoad = storage !== null && (services?.enhanced === true || standalone || connectionState === 'connected');

  const [status, setStatus] = useState<ChatState['status']>('loading');
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [isOpen, setIsOpen] = useState(true);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const messagesRef = useRef<readonly ChatMessage[]>([]);
  const loadedFrom = useRef<ChatStorage | null>(null);

  useEffect(() => {
    if (!canLoad || !storage || loadedFrom.current === storage) return;
    let current = true;
    Promise.all([ensureSessionId(storage), storage.getItem(CHAT_STORAGE_KEYS.conversation), storage.getItem(CHAT_STORAGE_KEYS.open)]).then(
      ([id, conversation, open]) => {
        if (!current) return;
        loadedFrom.current = storage;
        // Messages sent while loading come after the stored ones.
        const loaded = [...parseConversation(conversation), ...messagesRef.current];
        messagesRef.current = loaded;
        setMessages(loaded);
        setIsOpen(open !== 'false');
        setSessionId(id);
        setStatus('ready');
        services?.tracker.setSessionId(id);
      },
      (error: unknown) => {
        if (!current) return;
        console.warn('[framewire] Could not load the conversation.', error);
        setStatus('error');
        services?.tracker.event(WIDGET_EVENTS.error, { where: 'load' }, 'error');
      },
    );
    return () => {
      current = false;
    };
  }, [canLoad, storage, services]);

  const sendMessage = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (!trimmed || !storage) return;
      const now = Date.now();
      const next = [
        ...messagesRef.current,
        { id: uuidv7(now), role: 'visitor', text: trimmed, at: now },
        { id: uuidv7(now), role: 'agent', text: reply(trimmed), at: now },
      ] satisfies ChatMessage[];
      messagesRef.current = next;
      setMessages(next);
      persist(storage, CHAT_STORAGE_KEYS.conversation, serializeConversation(next));
      // The length, not the text: what visitors write stays out of analytics.
      tracker?.event(WIDGET_EVENTS.messageSent, { length: trimmed.length });
    },
    [storage, reply, tracker],
  );

  const setOpen = useCallback(
    (open: boolean) => {
      setIsOpen(open);
      if (storage) persist(storage, CHAT_STORAGE_KEYS.open, String(open));
      tracker?.event(open ? WIDGET_EVENTS.opened : WIDGET_EVENTS.closed, { source: 'widget' });
    },
    [storage, tracker],
  );

  return { status, messages, sendMessage, isOpen, setOpen, sessionId, connectionState, standalone, storage, tracker };
}
