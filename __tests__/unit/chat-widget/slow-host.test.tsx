import { act, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createChatServices } from '../../../lib/chat-widget/chat-services';
import type { ChatServices } from '../../../lib/chat-widget/chat-services';
import { parseConversation, serializeConversation } from '../../../lib/chat-widget/conversation';
import { ConversationSync } from '../../../lib/chat-widget/conversation-sync';
import { useChatState } from '../../../components/chat-widget/hooks/useChatState';
import type { ChatState } from '../../../components/chat-widget/hooks/useChatState';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { ConnectionListener } from '../../../lib/chat-widget/connection-monitor';
import { ErrorCode, FramewireError } from '../../../lib/protocol/errors';
import { uuidv7 } from '../../../lib/util/ids';
import { storageHost } from '../support/storage-host';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let services: ChatServices | null = null;
let chat: ChatState;

function Probe(props: { bridge: BridgeClient; services: ChatServices }) {
  chat = useChatState({ bridge: props.bridge, services: props.services, widgetId: 'demo' });
  return null;
}

/**
 * The fake host behind a switch: stalled, every call times out (as the bridge's deadline
 * makes it) after its timeout; free, the host answers. Records the calls the host received.
 */
function stallableHost() {
  const host = storageHost();
  let stalled = false;
  const received: string[] = [];
  const answer = (timeoutMs: number, method: string, args: unknown[]): Promise<unknown> => {
    if (stalled) {
      return new Promise((_resolve, reject) =>
        setTimeout(() => reject(new FramewireError(ErrorCode.CONNECTION_TIMEOUT, `${method} timed out`)), timeoutMs),
      );
    }
    if (method !== 'ping') received.push(`${method} ${String(args[0])}`);
    return host.call(method, ...args);
  };
  const bridge = {
    call: (method: string, ...args: unknown[]) => answer(5000, method, args),
    callWithTimeout: (timeoutMs: number, method: string, ...args: unknown[]) => answer(timeoutMs, method, args),
    getState: () => 'connected' as const,
    subscribe: () => () => undefined,
  };
  return {
    ...host,
    bridge: bridge as unknown as BridgeClient,
    received,
    stall: () => void (stalled = true),
    free: () => void (stalled = false),
  };
}

/** The host's localStorage, as the tests look at it. */
type HostStore = Pick<ReturnType<typeof storageHost>, 'area' | 'get'>;

/** Three exchanges stored in the host an hour ago. */
function storedConversation(host: HostStore): ChatMessage[] {
  const start = Date.now() - 3_600_000;
  const messages: ChatMessage[] = [];
  for (let n = 1; n <= 3; n++) {
    const at = start + n * 1000;
    messages.push({ id: uuidv7(at), role: 'visitor', text: `old ${n}`, at }, { id: uuidv7(at), role: 'agent', text: `answer ${n}`, at });
  }
  host.area.setItem('framewire:demo:conversation', serializeConversation(messages));
  return messages;
}

async function mount(host: ReturnType<typeof stallableHost>, useEnhancedStorage: boolean): Promise<void> {
  services = createChatServices({ bridge: host.bridge, widgetId: 'demo', useEnhancedStorage, storageConfig: { target: null } });
  const own = services;
  root = createRoot(document.createElement('div'));
  await act(async () => root?.render(<Probe bridge={host.bridge} services={own} />));
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const texts = (messages: readonly ChatMessage[]) => messages.map((m) => m.text);
const hostConversation = (host: HostStore) => texts(parseConversation(host.get('conversation')));

beforeEach(() => {
  vi.useFakeTimers();
  sessionStorage.clear();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  await act(async () => root?.unmount());
  services?.destroy();
  root = null;
  services = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe.each([
  ['basic', false],
  ['enhanced', true],
])('a host stalled while the widget loads (%s adapter)', (_name, enhanced) => {
  test('once the host answers, the stored conversation and the messages typed meanwhile are merged in order, on screen and in the host', async () => {
    const host = stallableHost();
    const old = texts(storedConversation(host));
    host.stall();
    await mount(host, enhanced);
    await advance(10_000);
    // The fallback answered: the chat is usable, and empty.
    expect(chat.status).toBe('ready');
    expect(chat.messages).toEqual([]);
    await act(async () => chat.sendMessage('typed while stalled'));
    await advance(5_000);
    expect(texts(chat.messages)).toEqual(['typed while stalled', expect.stringContaining('typed while stalled')]);
    expect(hostConversation(host)).toEqual(old);

    host.free();
    await advance(40_000);
    const merged = [...old, 'typed while stalled', expect.stringContaining('typed while stalled')];
    expect(texts(chat.messages)).toEqual(merged);
    expect(hostConversation(host)).toEqual(merged);
    // The host was read before it was written.
    const conversationCalls = host.received.filter((call) => call.endsWith(' conversation'));
    expect(conversationCalls[0]).toBe('getItem conversation');
    expect(conversationCalls).toContain('setItem conversation');

    // Later messages go straight to the host.
    await act(async () => chat.sendMessage('after the host is back'));
    await advance(2_000);
    expect(hostConversation(host).slice(0, 8)).toEqual(merged);
    expect(hostConversation(host)[8]).toBe('after the host is back');
  });

  test('while the host never answers, typed messages stay on screen and in the fallback, and the host is never written', async () => {
    const host = stallableHost();
    const old = texts(storedConversation(host));
    host.stall();
    await mount(host, enhanced);
    await advance(10_000);
    for (const text of ['first', 'second', 'third']) {
      await act(async () => chat.sendMessage(text));
      await advance(20_000);
    }
    await advance(120_000);
    const visitor = (messages: readonly ChatMessage[]) => messages.filter((m) => m.role === 'visitor').map((m) => m.text);
    expect(visitor(chat.messages)).toEqual(['first', 'second', 'third']);
    expect(visitor(parseConversation(sessionStorage.getItem('framewire:demo:conversation')))).toEqual(['first', 'second', 'third']);
    expect(hostConversation(host)).toEqual(old);
    expect(host.received).toEqual([]);
  });

  test("the host's session id is not replaced while it is stalled, and is adopted once it answers", async () => {
    const host = stallableHost();
    storedConversation(host);
    const stored = uuidv7(Date.now() - 60_000);
    host.area.setItem('framewire:demo:session_id', stored);
    host.stall();
    await mount(host, enhanced);
    await advance(10_000);
    const provisional = chat.sessionId;
    expect(provisional).not.toBeNull();
    expect(provisional).not.toBe(stored);
    await act(async () => chat.sendMessage('typed'));
    await advance(5_000);
    expect(host.get('session_id')).toBe(stored);

    host.free();
    await advance(40_000);
    expect(chat.sessionId).toBe(stored);
    expect(host.get('session_id')).toBe(stored);
    expect(host.received).not.toContain('setItem session_id');
  });

  test('a host without a session id stores the one the widget used while the host was stalled', async () => {
    const host = stallableHost();
    host.stall();
    await mount(host, enhanced);
    await advance(10_000);
    const provisional = chat.sessionId;
    expect(provisional).not.toBeNull();
    expect(host.get('session_id')).toBeNull();
    host.free();
    await advance(40_000);
    expect(chat.sessionId).toBe(provisional);
    expect(host.get('session_id')).toBe(provisional);
  });

  test("a frame reloaded while the host is still stalled shows the fallback's messages, and merges them with the host's when it answers", async () => {
    const host = stallableHost();
    const old = texts(storedConversation(host));
    host.stall();
    await mount(host, enhanced);
    await advance(10_000);
    await act(async () => chat.sendMessage('before the reload'));
    await advance(1_000);
    // The frame reloads: new services, the same sessionStorage.
    await act(async () => root?.unmount());
    services?.destroy();
    await mount(host, enhanced);
    await advance(10_000);
    expect(texts(chat.messages)[0]).toBe('before the reload');
    await act(async () => chat.sendMessage('after the reload'));
    await advance(1_000);
    expect(hostConversation(host)).toEqual(old);

    host.free();
    await advance(40_000);
    const visitor = parseConversation(host.get('conversation')).filter((m) => m.role === 'visitor');
    expect(visitor.map((m) => m.text)).toEqual(['old 1', 'old 2', 'old 3', 'before the reload', 'after the reload']);
    expect(texts(chat.messages)).toEqual(hostConversation(host));
  });
});

test('a host slower than the first read but answering later is read before the typed message is written', async () => {
  const host = stallableHost();
  const old = texts(storedConversation(host));
  host.stall();
  await mount(host, true);
  // Typed before the first read has given up.
  await advance(500);
  await act(async () => chat.sendMessage('early'));
  await advance(1_500);
  host.free();
  await advance(30_000);
  expect(hostConversation(host).slice(0, 6)).toEqual(old);
  expect(hostConversation(host)[6]).toBe('early');
  expect(host.received.find((call) => call.endsWith(' conversation'))).toBe('getItem conversation');
});

test('a host that answers at once is read and not written back: a read alone never rewrites the conversation', async () => {
  const host = stallableHost();
  const old = texts(storedConversation(host));
  await mount(host, true);
  await advance(5_000);
  expect(texts(chat.messages)).toEqual(old);
  expect(host.received.filter((call) => call.endsWith(' conversation'))).toEqual(['getItem conversation']);
});

describe('ConversationSync', () => {
  test('reads again on a doubling timer while only the fallback answers, and destroy leaves no timer and no listener', async () => {
    const read = vi.fn(() => Promise.resolve({ value: null, source: 'fallback' as const }));
    const storage = { read, getItem: () => Promise.resolve(null), setItem: vi.fn(), removeItem: vi.fn(), getItemSync: () => null, setFallbackItem: vi.fn() };
    const listeners = new Set<ConnectionListener>();
    const monitor = {
      addListener(listener: ConnectionListener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    };
    const sync = new ConversationSync({ storage, monitor });
    await sync.load();
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(read).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(read).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(3);
    sync.append([{ id: uuidv7(), role: 'visitor', text: 'held', at: Date.now() }]);
    expect(storage.setFallbackItem).toHaveBeenCalledTimes(1);
    expect(storage.setItem).not.toHaveBeenCalled();
    sync.destroy();
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(read).toHaveBeenCalledTimes(4);
  });
});

test("under React's StrictMode (double effects) the conversation loads once and a stalled host's is still merged", async () => {
  const host = stallableHost();
  const old = texts(storedConversation(host));
  host.stall();
  services = createChatServices({ bridge: host.bridge, widgetId: 'demo', useEnhancedStorage: true, storageConfig: { target: null } });
  const own = services;
  root = createRoot(document.createElement('div'));
  await act(async () =>
    root?.render(
      <StrictMode>
        <Probe bridge={host.bridge} services={own} />
      </StrictMode>,
    ),
  );
  await advance(10_000);
  expect(chat.status).toBe('ready');
  await act(async () => chat.sendMessage('typed'));
  host.free();
  await advance(40_000);
  expect(texts(chat.messages)).toEqual([...old, 'typed', expect.stringContaining('typed')]);
  expect(hostConversation(host)).toEqual(texts(chat.messages));
});
