import type { ConversationMessage, ConversationStatus } from '../../lib/protocol/conversations';

/** A change in a conversation, as streams and long polls hear it. */
export type ConversationEvent =
  | { type: 'message'; widgetId: string; message: ConversationMessage }
  | { type: 'status'; widgetId: string; conversationId: string; status: ConversationStatus }
  /** Changes may have been missed (the PostgreSQL listener reconnected): read the store again. */
  | { type: 'resync' };

/** Hears {@link ConversationEvent}s. */
export type ConversationListenerFn = (event: ConversationEvent) => void;

/**
 * The in-process bus of conversation changes: by conversation (the visitor's stream and long
 * poll) and by widget (the inbox's stream). One `Map` entry per followed conversation or widget
 * and one `Set` entry per listener: what a stream costs here.
 */
export interface ConversationBus {
  /** Tells the listeners of the event's conversation and widget (`resync`: everyone). */
  publish(event: ConversationEvent): void;
  /** Listens to one conversation; returns the unsubscribe. */
  subscribeConversation(conversationId: string, listener: ConversationListenerFn): () => void;
  /** Listens to every conversation of one widget; returns the unsubscribe. */
  subscribeWidget(widgetId: string, listener: ConversationListenerFn): () => void;
  /** Whether anyone in this process listens to the conversation or its widget. */
  isFollowed(conversationId: string, widgetId: string): boolean;
  /** Listeners now (for tests and the stream count). */
  readonly size: number;
}

/** Creates a {@link ConversationBus}. A listener that throws does not stop the others. */
export function createConversationBus(onListenerError: (error: unknown) => void = () => undefined): ConversationBus {
  const byConversation = new Map<string, Set<ConversationListenerFn>>();
  const byWidget = new Map<string, Set<ConversationListenerFn>>();
  let size = 0;

  const add = (map: Map<string, Set<ConversationListenerFn>>, key: string, listener: ConversationListenerFn): (() => void) => {
    let listeners = map.get(key);
    if (listeners === undefined) {
      listeners = new Set();
      map.set(key, listeners);
    }
    listeners.add(listener);
    size++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      size--;
      const current = map.get(key);
      current?.delete(listener);
      if (current?.size === 0) map.delete(key);
    };
  };

  const tell = (listeners: Set<ConversationListenerFn> | undefined, event: ConversationEvent): void => {
    if (listeners === undefined) return;
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error);
      }
    }
  };

  return {
    publish(event) {
      if (event.type === 'resync') {
        for (const listeners of [...byConversation.values(), ...byWidget.values()]) tell(listeners, event);
        return;
      }
      const conversationId = event.type === 'message' ? event.message.conversationId : event.conversationId;
      tell(byConversation.get(conversationId), event);
      tell(byWidget.get(event.widgetId), event);
    },
    subscribeConversation: (conversationId, listener) => add(byConversation, conversationId, listener),
    subscribeWidget: (widgetId, listener) => add(byWidget, widgetId, listener),
    isFollowed: (conversationId, widgetId) => byConversation.has(conversationId) || byWidget.has(widgetId),
    get size() {
      return size;
    },
  };
}
