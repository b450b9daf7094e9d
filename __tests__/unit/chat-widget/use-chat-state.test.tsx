import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createChatServices } from '../../../lib/chat-widget/chat-services';
import type { ChatServices } from '../../../lib/chat-widget/chat-services';
import { parseConversation } from '../../../lib/chat-widget/conversation';
import { useChatState } from '../../../components/chat-widget/hooks/useChatState';
import type { ChatState } from '../../../components/chat-widget/hooks/useChatState';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { STORAGE_LIMITS, storageLength } from '../../../lib/protocol/limits';
import { storageHost } from '../support/storage-host';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let services: ChatServices | null = null;
let chat: ChatState;

function Probe(props: { bridge: BridgeClient; services: ChatServices }) {
  chat = useChatState({ bridge: props.bridge, services: props.services, widgetId: 'demo' });
  return null;
}

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

/** Mounts the chat on `host` through the basic or the enhanced adapter and waits until it has loaded. */
async function mountChat(host: ReturnType<typeof storageHost>, useEnhancedStorage: boolean): Promise<void> {
  const bridge = host.bridge as unknown as BridgeClient;
  services = createChatServices({ bridge, widgetId: 'demo', useEnhancedStorage, storageConfig: { target: null } });
  const own = services;
  const container = document.createElement('div');
  root = createRoot(container);
  await act(async () => root?.render(<Probe bridge={bridge} services={own} />));
  await act(() => vi.advanceTimersByTimeAsync(50));
  expect(chat.status).toBe('ready');
}

/** Sends `count` messages of ~1,900 characters (`#<n>#` then filler), 200 ms apart. */
async function sendLong(count: number, from = 1): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await act(async () => chat.sendMessage(`#${n}# ${'x'.repeat(1900)}`));
    await act(() => vi.advanceTimersByTimeAsync(200));
  }
  await act(() => vi.advanceTimersByTimeAsync(1000));
}

const storedVisitorNumbers = (host: ReturnType<typeof storageHost>): number[] =>
  parseConversation(host.get('conversation'))
    .filter((m) => m.role === 'visitor')
    .map((m) => Number(/^#(\d+)#/.exec(m.text)?.[1]));

describe.each([
  ['basic', false],
  ['enhanced', true],
])('useChatState (%s adapter)', (_name, enhanced) => {
  test('after 40 messages of 1,900 characters the host holds the newest that fit, and the screen all 80', async () => {
    const host = storageHost();
    await mountChat(host, enhanced);
    await sendLong(40);
    expect(chat.messages).toHaveLength(80);
    const stored = storedVisitorNumbers(host);
    expect(stored.at(-1)).toBe(40);
    expect(stored.length).toBeGreaterThanOrEqual(20);
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => 41 - stored.length + i));
    expect(storageLength(host.get('conversation') ?? '')).toBeLessThanOrEqual(STORAGE_LIMITS.maxValueLength);
  });

  test("a write refused because the host's storage is full keeps the last good conversation there, and every message on screen", async () => {
    const host = storageHost();
    await mountChat(host, enhanced);
    await sendLong(3);
    expect(storedVisitorNumbers(host)).toEqual([1, 2, 3]);
    host.fillQuota();
    await sendLong(2, 4);
    expect(storedVisitorNumbers(host)).toEqual([1, 2, 3]);
    expect(chat.messages.filter((m) => m.role === 'visitor')).toHaveLength(5);
    // Room again: the next write stores the whole conversation, the refused messages included.
    host.freeQuota();
    await sendLong(1, 6);
    expect(storedVisitorNumbers(host)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
