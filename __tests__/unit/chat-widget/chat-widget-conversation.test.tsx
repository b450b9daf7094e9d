import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ChatWidget } from '../../../components/chat-widget/ChatWidget';
import type { ChatWidgetProps } from '../../../components/chat-widget/ChatWidget';
import { createChatServices } from '../../../lib/chat-widget/chat-services';
import type { ChatServices } from '../../../lib/chat-widget/chat-services';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { CONVERSATION_OUTBOX_KEY, CONVERSATION_SESSION_KEY } from '../../../lib/protocol/limits';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import { storageHost } from '../support/storage-host';
import { createFakeCollector } from '../conversations/fake-collector';
import { fakeOnline } from '../conversations/support';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let services: ChatServices | null = null;
let container: HTMLElement;
let host: ReturnType<typeof storageHost>;
let collector: ReturnType<typeof createFakeCollector>;
let online: ReturnType<typeof fakeOnline>;

beforeEach(() => {
  vi.useFakeTimers();
  sessionStorage.clear();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = storageHost();
  collector = createFakeCollector();
  online = fakeOnline();
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(async () => {
  await act(async () => root?.unmount());
  services?.destroy();
  container.remove();
  root = null;
  services = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const settle = async (ms = 50): Promise<void> => {
  await act(() => vi.advanceTimersByTimeAsync(ms));
};

/** The widget with a collector (fixed content: no config request), on the host stand-in. */
async function mount(props: Partial<ChatWidgetProps> = {}): Promise<void> {
  const bridge = host.bridge as unknown as BridgeClient;
  services = createChatServices({ bridge, widgetId: 'demo' });
  const own = services;
  root = createRoot(container);
  await act(async () =>
    root?.render(
      <ChatWidget
        bridge={bridge}
        services={own}
        widgetId="demo"
        content={DEFAULT_WIDGET_CONTENT}
        collectorUrl="https://collector.example"
        conversation={{ fetch: collector.fetch, online, sharing: { locks: null, openChannel: null } }}
        {...props}
      />,
    ),
  );
  await settle();
}

async function unmount(): Promise<void> {
  await act(async () => root?.unmount());
  services?.destroy();
  root = null;
}

const $ = (selector: string): HTMLElement | null => container.querySelector<HTMLElement>(selector);
const $$ = (selector: string): HTMLElement[] => [...container.querySelectorAll<HTMLElement>(selector)];

async function type(text: string): Promise<void> {
  const input = $('[data-testid="chat-input"]') as HTMLInputElement;
  await act(async () => {
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setValue?.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => $('[data-testid="chat-send"]')?.click());
}

const thread = () => $$('[data-message-id]').map((m) => [m.dataset.role, m.querySelector('p')?.textContent, m.dataset.state ?? '']);

describe('ChatWidget with a collector', () => {
  test("sends the message to the team (no canned reply) and shows the agent's and the bot's replies", async () => {
    await mount();
    await type('Hello team');
    await settle();
    expect(thread()).toEqual([['visitor', 'Hello team', 'sent']]);
    const id = collector.conversations.keys().next().value as string;
    collector.reply(id, 'Hi! How can I help?');
    collector.reply(id, 'I am the bot.', 'bot');
    await settle(1100);
    expect(thread()).toEqual([
      ['visitor', 'Hello team', 'sent'],
      ['agent', 'Hi! How can I help?', 'sent'],
      ['bot', 'I am the bot.', 'sent'],
    ]);
  });

  test('a message waits as "sending" while offline, survives a reload, and is sent once with its id after it', async () => {
    online.set(false);
    await mount();
    await type('Written offline');
    await settle(5000);
    expect(thread()).toEqual([['visitor', 'Written offline', 'sending']]);
    expect(host.get(CONVERSATION_OUTBOX_KEY)).toContain('Written offline');
    await unmount();

    online.set(true);
    await mount();
    await settle(1100);
    expect(thread()).toEqual([['visitor', 'Written offline', 'sent']]);
    expect([...collector.conversations.values()][0]?.messages.map((m) => m.text)).toEqual(['Written offline']);
    expect(host.get(CONVERSATION_OUTBOX_KEY)).toBeNull();
    expect(host.get(CONVERSATION_SESSION_KEY)).toContain('secret-1');
  });

  test('a refused message shows "Not sent" with a retry button that sends it', async () => {
    await mount();
    collector.fail(400);
    await type('Refused once');
    await settle();
    expect(thread()).toEqual([['visitor', 'Refused once', 'failed']]);
    await act(async () => $('[data-testid="message-retry"]')?.click());
    await settle();
    expect(thread()).toEqual([['visitor', 'Refused once', 'sent']]);
  });

  test('when the outbox is full, the new message is refused with a visible notice and the others stay', async () => {
    online.set(false);
    await mount();
    for (let i = 0; i < 13; i++) await type(`${i}:${'x'.repeat(1990)}`);
    await settle();
    expect($('[data-testid="outbox-full"]')?.textContent).toContain('Too many unsent messages');
    const kept = thread().length;
    expect(kept).toBeGreaterThan(9);
    expect(thread().every(([, , state]) => state === 'sending')).toBe(true);
  });

  test('tells the host the replies that came while the panel was minimised, and 0 when it opens', async () => {
    await mount();
    await type('Hello');
    await settle();
    const setUnread = () => host.call.mock.calls.filter(([method]) => method === 'setUnread').map(([, count]) => count);
    await act(async () => $('[data-testid="chat-minimise"]')?.click());
    const id = collector.conversations.keys().next().value as string;
    collector.reply(id, 'One');
    await settle(1100);
    collector.reply(id, 'Two');
    await settle(1100);
    expect(setUnread()).toEqual([1, 2]);
    await act(async () => $('[data-testid="chat-minimise"]')?.click());
    await settle();
    expect(setUnread()).toEqual([1, 2, 0]);
  });

  test('chat.enabled false hides the composer, as without a collector', async () => {
    await mount({ content: { ...DEFAULT_WIDGET_CONTENT, chat: { ...DEFAULT_WIDGET_CONTENT.chat, enabled: false } } });
    expect($('[data-testid="chat-input"]')).toBeNull();
  });
});
