// @vitest-environment node
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { ConversationClient } from '../../../lib/chat-widget/conversations/client';
import type { ConversationMessage } from '../../../lib/protocol/conversations';
import { fakeBrowser, frameClient, memoryStorage } from './support';

/*
 * The client against a real HTTP server and the platform's own `fetch` (real sockets, real
 * streaming bodies, real timers with short settings): the stream's bytes arrive in the
 * chunks the server writes, a multi-byte character split between two of them included.
 */

const SECRET = 'real-secret';
const messages: ConversationMessage[] = [];
const streamRequests: { lastEventId: string | undefined }[] = [];
let mode: 'chunked' | 'end-after-first' | 'silent' = 'chunked';
const open = new Set<ServerResponse>();

const message = (seq: number, text: string): ConversationMessage => ({ id: `m${seq}`, conversationId: 'c1', author: seq === 1 ? 'visitor' : 'agent', text, createdAt: 1, seq });
const frame = (m: ConversationMessage): string => `event: message\nid: ${m.seq}\ndata: ${JSON.stringify(m)}\n\n`;

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://x');
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    if (request.method === 'POST' && url.pathname === '/api/conversations') {
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ conversation: { id: 'c1' }, secret: SECRET }));
      return;
    }
    if (request.headers['x-framewire-conversation-secret'] !== SECRET) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (request.method === 'POST' && url.pathname.endsWith('/messages')) {
      const { id, text } = JSON.parse(body) as { id: string; text: string };
      const stored = { ...message(messages.length + 1, text), id };
      messages.push(stored);
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(stored));
      return;
    }
    if (url.pathname.endsWith('/events')) {
      const lastEventId = request.headers['last-event-id'] as string | undefined;
      streamRequests.push({ lastEventId });
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.flushHeaders();
      open.add(response);
      response.on('close', () => open.delete(response));
      if (mode === 'silent') return;
      const text = messages.filter((m) => m.seq > Number(lastEventId ?? 0)).map(frame).join('');
      const bytes = Buffer.from(`: ping\n\n${text}`);
      // Cut every 7 bytes: lines, fields and UTF-8 sequences are split anywhere.
      for (let at = 0; at < bytes.length; at += 7) response.write(bytes.subarray(at, at + 7));
      if (mode === 'end-after-first') response.end();
      return;
    }
    response.writeHead(404).end();
  });
}

let server: Server;
let collectorUrl = '';
beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of open) response.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clients: ConversationClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const response of open) response.destroy();
  messages.length = 0;
  streamRequests.length = 0;
  mode = 'chunked';
});

function realClient(options: { deadStreamMs?: number } = {}) {
  const made = frameClient({ fetch: (input, init) => fetch(input, init) }, memoryStorage(), {
    collectorUrl,
    sharing: fakeBrowser().sharing(),
    retryDelayMs: 20,
    maxRetryDelayMs: 50,
    ...options,
  });
  clients.push(made.client);
  return made;
}

describe('over real HTTP', () => {
  test('reads a stream written in 7-byte pieces, multi-byte characters split, every message whole', async () => {
    messages.push(message(1, 'Grüße — 你好 👋'), message(2, 'second\nline'));
    const { client, received } = realClient();
    await client.start();
    // Start a conversation the server already holds (its id is fixed): one message does it.
    client.send('third');
    // The POST's answer and the stream race for seq 3: it is handed on once either way.
    await vi.waitFor(() => expect(received.map((m) => m.seq).sort()).toEqual([1, 2, 3]), { timeout: 3000 });
    expect(received.find((m) => m.seq === 1)?.text).toBe('Grüße — 你好 👋');
    expect(received.find((m) => m.seq === 2)?.text).toBe('second\nline');
  });

  test('reconnects with Last-Event-ID after the server ends the stream', async () => {
    mode = 'end-after-first';
    const { client } = realClient();
    await client.start();
    client.send('hello');
    await vi.waitFor(() => expect(streamRequests.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    expect(streamRequests[0]?.lastEventId).toBeUndefined();
    await vi.waitFor(() => expect(streamRequests.at(-1)?.lastEventId).toBe('1'), { timeout: 5000 });
  });

  test('reopens a stream that sends nothing for deadStreamMs', async () => {
    mode = 'silent';
    const { client } = realClient({ deadStreamMs: 150 });
    await client.start();
    client.send('hello');
    await vi.waitFor(() => expect(streamRequests.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
  });
});
