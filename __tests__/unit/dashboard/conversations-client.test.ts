import { describe, expect, test, vi } from 'vitest';
import { createConversationsClient } from '../../../components/dashboard/api/conversations-client';
import { isDashboardError } from '../../../components/dashboard/api/dashboard-error';
import type { ConversationMessage, ConversationSummary } from '../../../lib/protocol/conversations';

const MESSAGE: ConversationMessage = { id: 'm1', conversationId: 'c 1', author: 'agent', text: 'Hi', createdAt: 5, seq: 2 };
const SUMMARY: ConversationSummary = {
  id: 'c 1',
  widgetId: 'shop',
  anonymousId: 'anon',
  userId: null,
  status: 'closed',
  createdAt: 1,
  lastActivityAt: 5,
  lastSeq: 2,
  lastMessage: MESSAGE,
  unreadByAgent: 0,
};

function client(answer: (url: URL, init: RequestInit) => Response) {
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(new URL(String(input)), init ?? {})));
  const api = createConversationsClient({ apiKey: 'key-1', widgetId: 'shop', baseUrl: 'http://collector.test', fetch });
  return { api, call: (index: number) => fetch.mock.calls[index] as [URL, RequestInit] };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the conversations client', () => {
  test('lists with the cursor, limit and status as query parameters', async () => {
    const { api, call } = client(() => json(200, { conversations: [SUMMARY, { id: 'broken' }], next: 'cur-2' }));
    await expect(api.list({ cursor: 'cur-1', limit: 50, status: 'open' })).resolves.toEqual({ conversations: [SUMMARY], next: 'cur-2' });
    expect(String(call(0)[0])).toBe('http://collector.test/api/widgets/shop/conversations?cursor=cur-1&limit=50&status=open');
    expect(call(0)[1].headers).toMatchObject({ Authorization: 'Bearer key-1' });
  });

  test('posts a reply under its id, marks read (204) and closes', async () => {
    const answers = [json(201, MESSAGE), new Response(null, { status: 204 }), json(200, SUMMARY)];
    const { api, call } = client(() => answers.shift()!);
    await expect(api.reply('c 1', { id: 'm1', text: 'Hi' })).resolves.toEqual(MESSAGE);
    expect(String(call(0)[0])).toBe('http://collector.test/api/widgets/shop/conversations/c%201/messages');
    expect([call(0)[1].method, call(0)[1].body]).toEqual(['POST', JSON.stringify({ id: 'm1', text: 'Hi' })]);
    await expect(api.markRead('c 1', 2)).resolves.toBeUndefined();
    expect(String(call(1)[0])).toBe('http://collector.test/api/widgets/shop/conversations/c%201/read');
    expect(call(1)[1].body).toBe(JSON.stringify({ seq: 2 }));
    await expect(api.close('c 1')).resolves.toEqual(SUMMARY);
    expect(String(call(2)[0])).toBe('http://collector.test/api/widgets/shop/conversations/c%201/close');
  });

  test('a 409 (another text under the id) is BAD_REQUEST; a page without messages is INVALID_RESPONSE', async () => {
    const conflict = client(() => json(409, { error: 'message id taken' }));
    expect(isDashboardError(await conflict.api.reply('c', { id: 'm', text: 'x' }).catch((e: unknown) => e), 'BAD_REQUEST')).toBe(true);
    const broken = client(() => json(200, { next: 0 }));
    expect(isDashboardError(await broken.api.messages('c', 0).catch((e: unknown) => e), 'INVALID_RESPONSE')).toBe(true);
  });
});
