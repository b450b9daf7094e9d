import type { ChatStorage } from '../../../lib/chat-widget/chat-services';
import { ConversationClient } from '../../../lib/chat-widget/conversations/client';
import type { ConversationClientOptions } from '../../../lib/chat-widget/conversations/client';
import type { ChannelLike, SharingEnvironment } from '../../../lib/chat-widget/conversations/leader';
import type { OnlineSource } from '../../../lib/chat-widget/conversations/online';
import type { ConversationMessage } from '../../../lib/protocol/conversations';
import type { createFakeCollector } from './fake-collector';

/** The host's storage as the widget sees it: written at once, readable back. */
export function memoryStorage(): ChatStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => Promise.resolve(data.get(key) ?? null),
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
    getItemSync: (key) => data.get(key) ?? null,
  };
}

/** An online switch the test flips. */
export function fakeOnline(initially = true): OnlineSource & { set(online: boolean): void } {
  let online = initially;
  const listeners = new Set<() => void>();
  return {
    isOnline: () => online,
    onOnline(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      online = next;
      if (next) for (const listener of [...listeners]) listener();
    },
  };
}

/**
 * Web Locks and BroadcastChannel as one browser has them, for several frames in one test: a
 * lock granted to the first asker, the next in line when it is released; a channel that
 * delivers to every other frame.
 */
export function fakeBrowser() {
  const queues = new Map<string, { grant: () => void }[]>();
  const held = new Set<string>();
  const channels = new Set<{ name: string; deliver: (data: unknown) => void }>();
  const next = (name: string): void => {
    const line = queues.get(name) ?? [];
    const first = line.shift();
    if (first) first.grant();
  };
  const sharing = (): SharingEnvironment => ({
    locks: {
      request(name, options, callback) {
        return new Promise((resolve, reject) => {
          const entry = {
            grant: () => {
              held.add(name);
              void callback().finally(() => {
                held.delete(name);
                resolve(undefined);
                next(name);
              });
            },
          };
          options.signal.addEventListener('abort', () => {
            const line = queues.get(name) ?? [];
            const index = line.indexOf(entry);
            if (index >= 0) {
              line.splice(index, 1);
              reject(new DOMException('aborted', 'AbortError'));
            }
          });
          if (held.has(name)) queues.set(name, [...(queues.get(name) ?? []), entry]);
          else queueMicrotask(entry.grant);
        });
      },
    },
    openChannel(name) {
      const listeners = new Set<(event: MessageEvent) => void>();
      const self = { name, deliver: (data: unknown) => listeners.forEach((listener) => listener({ data } as MessageEvent)) };
      channels.add(self);
      const channel: ChannelLike = {
        postMessage: (data) => {
          const copy: unknown = structuredClone(data);
          for (const other of channels) if (other !== self && other.name === name) queueMicrotask(() => other.deliver(copy));
        },
        addEventListener: (_type, listener) => void listeners.add(listener),
        removeEventListener: (_type, listener) => void listeners.delete(listener),
        close: () => void channels.delete(self),
      };
      return channel;
    },
  });
  return { sharing };
}

/** A client of one frame, with what it was told. */
export function frameClient(
  collector: Pick<ReturnType<typeof createFakeCollector>, 'fetch'>,
  storage: ChatStorage,
  extra: Partial<ConversationClientOptions> = {},
) {
  const received: ConversationMessage[] = [];
  const client = new ConversationClient({
    collectorUrl: 'https://collector.example',
    widgetId: 'demo',
    storage,
    anonymousId: () => 'visitor-1',
    fetch: collector.fetch,
    online: fakeOnline(),
    sharing: { locks: null, openChannel: null },
    onMessages: (messages) => received.push(...messages),
    ...extra,
  });
  return { client, received };
}
