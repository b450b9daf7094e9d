import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { ConnectionState } from '../../../lib/chat-widget/connection-monitor';
import { WIDGET_EVENTS } from '../../../lib/chat-widget/tracker';
import type { Tracker } from '../../../lib/chat-widget/tracker';
import { uuidv7 } from '../../../lib/util/ids';
import type { ChatServices, ChatStorage } from '../../../lib/chat-widget/chat-services';
import { cannedReply, CHAT_STORAGE_KEYS } from '../../../lib/chat-widget/conversation';
import { ConversationSync } from '../../../lib/chat-widget/conversation-sync';
import { loadSessionId, settleSessionId } from '../../../lib/chat-widget/session-id';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import { useChatServices } from './useChatServices';
import { useConnectionState } from './useConnectionState';
import { threadOf, useConversation } from './useConversation';
import type { ConversationOptions } from './useConversation';

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
  /** The widget's answer to a visitor's message, without a collector. @default a canned acknowledgement */
  reply?: (text: string) => string;
  /**
   * The collector the conversation goes to (`POST /api/conversations`, …); messages then go
   * through the outbox and replies come from the team. `null`: the canned reply. @default null
   */
  collectorUrl?: string | null;
  /** Settings of the conversation client (and, for tests, its `fetch`, `online`, `sharing`). */
  conversation?: ConversationOptions;
  /** @default false */
  debug?: boolean;
}

export interface ChatState {
  /**
   * `loading` until the conversation is read (from the host, or from the fallback when the
   * host does not answer: then the widget keeps reading, and merges once the host answers).
   * `error` is kept for compatibility; the conversation no longer fails to load.
   */
  status: 'loading' | 'ready' | 'error';
  /** The thread: stored messages, then the outbox's (`state` `sending` or `failed`). */
  messages: readonly ChatMessage[];
  /**
   * With a collector: puts the message into the outbox (refused when it is full, see
   * `outboxFull`). Without: appends the visitor's message and the canned answer, and persists
   * the conversation (in the fallback only until the host's stored conversation has been read).
   */
  sendMessage(text: string): void;
  /** Sends a `failed` message again. */
  retryMessage(id: string): void;
  /** The outbox is full: the last message was refused ("too many unsent messages"). */
  outboxFull: boolean;
  /** Whether messages go to a collector (else the canned reply answers). */
  connectedToTeam: boolean;
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

/**
 * Replaces a provisional session id (the host had not answered) with the host's, or stores
 * it there, once the host answers; `apply` gets the settled id.
 */
function settleProvisional(storage: ChatStorage, provisional: { current: string | null }, apply: (id: string) => void): void {
  const id = provisional.current;
  if (id === null) return;
  settleSessionId(storage, id).then(
    (settled) => {
      if (settled === null || provisional.current !== id) return;
      provisional.current = null;
      apply(settled);
    },
    (error: unknown) => console.warn('[framewire] Could not store the session id.', error),
  );
}

/** The chat's state, kept in the host page through the chosen storage adapter. */
export function useChatState(props: UseChatStateProps): ChatState {
  const { bridge, widgetId = 'demo', useEnhancedStorage = false, reply = cannedReply, debug = false, collectorUrl = null } = props;
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
  const [sync, setSync] = useState<ConversationSync | null>(null);
  const monitor = services?.monitor ?? null;
  const loadedFor = useRef<ConversationSync | null>(null);

  // The session id serving meanwhile while the host has not answered: reconciled once it has.
  const provisionalSessionId = useRef<string | null>(null);

  useEffect(() => {
    if (!storage) return;
    let alive = true;
    const onSynced = (): void =>
      settleProvisional(storage, provisionalSessionId, (id) => {
        if (!alive) return;
        setSessionId(id);
        services?.tracker.setSessionId(id);
      });
    // The sync listens to the monitor and keeps timers, so it is made here, where cleanup is guaranteed.
    const created = new ConversationSync({ storage, monitor, onChange: setMessages, onSynced });
    setSync(created);
    return () => {
      alive = false;
      created.destroy();
      setSync(null);
    };
  }, [storage, monitor, services]);

  useEffect(() => {
    if (!canLoad || !storage || !sync || loadedFor.current === sync) return;
    let current = true;
    // The conversation never fails to load: without the host it shows the fallback's and keeps reading.
    void sync.load().then(() => {
      if (!current) return;
      loadedFor.current = sync;
      setStatus('ready');
    });
    storage.getItem(CHAT_STORAGE_KEYS.open).then(
      (open) => {
        if (current) setIsOpen(open !== 'false');
      },
      () => undefined,
    );
    loadSessionId(storage).then(
      ({ id, fromHost }) => {
        if (!current) return;
        provisionalSessionId.current = fromHost ? null : id;
        setSessionId(id);
        services?.tracker.setSessionId(id);
        // The host answered the conversation while this id was being read: reconcile now.
        if (!fromHost && sync.synced) {
          settleProvisional(storage, provisionalSessionId, (settled) => {
            if (!current) return;
            setSessionId(settled);
            services?.tracker.setSessionId(settled);
          });
        }
      },
      (error: unknown) => {
        if (!current) return;
        console.warn('[framewire] Could not load the session id.', error);
        services?.tracker.event(WIDGET_EVENTS.error, { where: 'load' }, 'error');
      },
    );
    return () => {
      current = false;
    };
  }, [canLoad, storage, sync, services]);

  const conversation = useConversation({
    collectorUrl,
    widgetId,
    storage,
    sync,
    canLoad,
    sessionId,
    options: props.conversation,
    debug,
  });
  const { client, send: sendToTeam } = conversation;
  const thread = useMemo(() => threadOf(messages, conversation.pending), [messages, conversation.pending]);

  const sendMessage = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (!trimmed || !sync) return;
      if (client) {
        // The length, not the text: what visitors write stays out of analytics.
        if (sendToTeam(trimmed) === 'queued') tracker?.event(WIDGET_EVENTS.messageSent, { length: trimmed.length });
        return;
      }
      const now = Date.now();
      sync.append([
        { id: uuidv7(now), role: 'visitor', text: trimmed, at: now },
        { id: uuidv7(now), role: 'agent', text: reply(trimmed), at: now },
      ] satisfies ChatMessage[]);
      // The length, not the text: what visitors write stays out of analytics.
      tracker?.event(WIDGET_EVENTS.messageSent, { length: trimmed.length });
    },
    [sync, reply, tracker, client, sendToTeam],
  );

  const setOpen = useCallback(
    (open: boolean) => {
      setIsOpen(open);
      if (storage) persist(storage, CHAT_STORAGE_KEYS.open, String(open));
      tracker?.event(open ? WIDGET_EVENTS.opened : WIDGET_EVENTS.closed, { source: 'widget' });
    },
    [storage, tracker],
  );

  return {
    status,
    messages: thread,
    sendMessage,
    retryMessage: conversation.retry,
    outboxFull: conversation.outboxFull,
    connectedToTeam: client !== null,
    isOpen,
    setOpen,
    sessionId,
    connectionState,
    standalone,
    storage,
    tracker,
  };
}
