import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConversationsClient } from '../../../components/dashboard/api/conversations-client';
import { DashboardError, DashboardErrorCode } from '../../../components/dashboard/api/dashboard-error';
import { createInboxStore } from '../../../components/dashboard/inbox/inbox-store';
import type { InboxStore } from '../../../components/dashboard/inbox/inbox-store';
import { Inbox } from '../../../components/dashboard/inbox/InboxView';
import type { ConversationMessage, ConversationSummary } from '../../../lib/protocol/conversations';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const now = Date.now();
const msg = (seq: number, author: ConversationMessage['author'], text: string): ConversationMessage => ({ id: `m${seq}`, conversationId: 'c1', author, text, createdAt: now, seq });
const CONVERSATION: ConversationSummary = {
  id: 'c1',
  widgetId: 'shop',
  anonymousId: '0193aa00-0000-7000-8000-00000a7f3a9c',
  userId: null,
  status: 'open',
  createdAt: now,
  lastActivityAt: now,
  lastSeq: 3,
  lastMessage: msg(3, 'bot', 'Our bot here'),
  unreadByAgent: 1,
};
const THREAD = [msg(1, 'visitor', 'Hello?'), msg(2, 'agent', 'Hi!'), msg(3, 'bot', 'Our bot here')];

let root: Root;
let container: HTMLElement;
let store: InboxStore;
let reply: ReturnType<typeof vi.fn<ConversationsClient['reply']>>;

beforeEach(async () => {
  // As newer Chromium does: a promise, which an effect must not hand back to React as its cleanup.
  Element.prototype.scrollIntoView = vi.fn(() => Promise.resolve()) as unknown as Element['scrollIntoView'];
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  reply = vi.fn<ConversationsClient['reply']>();
  store = createInboxStore({
    client: {
      list: vi.fn(() => Promise.resolve({ conversations: [CONVERSATION], next: null })),
      messages: vi.fn(() => Promise.resolve({ messages: THREAD, next: 3, more: false, status: 'open' as const })),
      reply,
      markRead: vi.fn(() => Promise.resolve()),
      close: vi.fn(() => Promise.resolve({ ...CONVERSATION, status: 'closed' as const })),
      reopen: vi.fn(),
    },
    openStream: () => ({ destroy: () => undefined }),
    newId: () => 'reply-1',
  });
  store.start();
  await act(async () => root.render(<Inbox store={store} />));
});
afterEach(() => {
  act(() => root.unmount());
  store.destroy();
  container.remove();
});

const q = (selector: string) => container.querySelector<HTMLElement>(selector);
const click = (element: HTMLElement) => act(async () => element.click());

async function typeReply(text: string): Promise<void> {
  const input = q('[data-testid="reply-input"]') as HTMLTextAreaElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('the inbox view', () => {
  test('lists the visitor by the end of the anonymous id with the preview and unread count; the thread tells authors apart', async () => {
    const item = q('[data-testid="conversation-item"]')!;
    expect(item.textContent).toContain('Visitor 7f3a9c');
    expect(q('[data-testid="conversation-preview"]')?.textContent).toBe('Bot: Our bot here');
    expect(q('[data-testid="unread-count"]')?.textContent).toBe('1 unread');
    await click(item);
    const authors = [...container.querySelectorAll('[data-testid="thread-message"]')].map((m) => `${m.getAttribute('data-author')}:${m.querySelector('p')?.textContent}`);
    expect(authors).toEqual(['visitor:Hello?', 'agent:Hi!', 'bot:Our bot here']);
    expect(q('[data-testid="unread-count"]')).toBeNull();
  });

  test('a reply shows sending, then failed with Retry; Retry sends it again and it leaves the pending list', async () => {
    await click(q('[data-testid="conversation-item"]')!);
    let fail: (e: unknown) => void = () => undefined;
    reply.mockImplementationOnce(() => new Promise((_r, reject) => (fail = reject)));
    await typeReply('On its way');
    await click(q('[data-testid="reply-send"]')!);
    expect(q('[data-testid="pending-reply"]')?.getAttribute('data-state')).toBe('sending');
    expect((q('[data-testid="reply-input"]') as HTMLTextAreaElement).value).toBe('');
    await act(async () => fail(new DashboardError(DashboardErrorCode.NETWORK, 'offline')));
    expect(q('[data-testid="pending-reply"]')?.getAttribute('data-state')).toBe('failed');

    reply.mockResolvedValueOnce({ ...msg(4, 'agent', 'On its way'), id: 'reply-1' });
    await click(q('[data-testid="reply-retry"]')!);
    expect(reply.mock.calls.map(([, body]) => body.id)).toEqual(['reply-1', 'reply-1']);
    expect(q('[data-testid="pending-reply"]')).toBeNull();
    expect([...container.querySelectorAll('[data-testid="thread-message"]')].at(-1)?.textContent).toContain('On its way');
  });

  test('Close takes the conversation out of the open list', async () => {
    await click(q('[data-testid="conversation-item"]')!);
    await click(q('[data-testid="conversation-close"]')!);
    expect(q('[data-testid="conversation-item"]')).toBeNull();
    expect(q('[data-testid="inbox-empty"]')).not.toBeNull();
  });
});
