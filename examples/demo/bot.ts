import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AUTHOR_HEADER, WEBHOOK_HEADERS } from '../../lib/protocol/conversations';
import type { WebhookDelivery } from '../../lib/protocol/conversations';
import type { WidgetRegistry } from '../../server/registry/types';
import { verifyWebhookSignature } from '../../server/webhooks/signature';

/*
 * The demo's bot: a webhook receiver that answers a few questions through the agent API, as
 * any bot would (docs/WEBHOOKS.md). It shows the receiver's side of the contract:
 *
 * 1. Verify the signature on the raw body (constant time, timestamp within the tolerance).
 * 2. Dedupe by `X-Framewire-Delivery`: deliveries are at least once.
 * 3. Reply with `POST /api/widgets/:widgetId/conversations/:id/messages`, header
 *    `X-Framewire-Author: bot`, the owner's API key, and a message id derived from the delivery
 *    id, so a resent delivery can only ever make the same reply (the collector keeps one).
 * 4. Answer 2xx only once the reply is stored; otherwise 502, and the collector tries again.
 */

/** Options of {@link startDemoBot}. */
export interface DemoBotOptions {
  /** The collector's base URL, e.g. `http://127.0.0.1:8787`. */
  collectorUrl: string;
  /** An API key of the widget's owner (the agent API's `Authorization: Bearer`). */
  apiKey: string;
  /** The widget's webhook secret (shown once when its webhook URL was first saved). */
  secret: string;
  /** Port on 127.0.0.1; `0` picks a free one. */
  port: number;
  /**
   * Deadline of one reply to the collector.
   * @default 5000
   */
  replyTimeoutMs?: number;
  /** The clock (ms since the epoch), for the signature's timestamp. @default Date.now */
  now?: () => number;
}

/** A running demo bot. */
export interface DemoBot {
  /** The webhook URL to save in the widget's document. */
  url: string;
  close(): Promise<void>;
}

/** What the bot says to a visitor's text, and whether it hands the conversation to a person. */
export interface BotAnswer {
  text: string;
  handOver: boolean;
}

const TOPICS: { pattern: RegExp; text: string; handOver?: boolean }[] = [
  { pattern: /\b(human|person|agent|someone|real)\b/i, text: "I'll hand you over to the team: someone will answer right here shortly.", handOver: true },
  { pattern: /\b(hours?|open|opening|close[sd]?)\b/i, text: "We're open Monday to Friday 9:00–18:00 and Saturday 10:00–14:00." },
  { pattern: /\b(ship|shipping|delivery|deliver)\b/i, text: 'Standard shipping takes 2–4 working days, free from €50; express arrives the next working day.' },
  { pattern: /\b(return|returns|refund|exchange)\b/i, text: 'You can return anything unworn within 30 days for a full refund; the return label is in your order email.' },
];

const HELP = "I'm the demo bot. Ask me about opening hours, shipping or returns, or type “human” to reach the team.";

/** The bot's answer to a visitor's message. */
export function botAnswer(text: string): BotAnswer {
  const topic = TOPICS.find((candidate) => candidate.pattern.test(text));
  return topic === undefined ? { text: HELP, handOver: false } : { text: topic.text, handOver: topic.handOver === true };
}

/** Largest delivery accepted: a message is at most 2000 characters. */
const MAX_BODY_BYTES = 64 * 1024;
/** Delivery ids remembered for dedupe (oldest forgotten first). */
const REMEMBERED_DELIVERIES = 10_000;

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Starts the demo bot on 127.0.0.1. */
export async function startDemoBot(options: DemoBotOptions): Promise<DemoBot> {
  const now = options.now ?? (() => Date.now());
  const delivered = new Set<string>();
  const handedOver = new Set<string>();

  const remember = (id: string) => {
    delivered.add(id);
    if (delivered.size > REMEMBERED_DELIVERIES) {
      const oldest = delivered.values().next().value;
      if (oldest !== undefined) delivered.delete(oldest);
    }
  };

  const reply = async (delivery: WebhookDelivery, deliveryId: string, text: string): Promise<boolean> => {
    const { widgetId, conversation } = delivery;
    const id = `bot-${createHash('sha256').update(deliveryId).digest('hex').slice(0, 32)}`;
    const url = `${options.collectorUrl}/api/widgets/${encodeURIComponent(widgetId)}/conversations/${encodeURIComponent(conversation.id)}/messages`;
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', [AUTHOR_HEADER]: 'bot' },
        body: JSON.stringify({ id, text }),
        signal: AbortSignal.timeout(options.replyTimeoutMs ?? 5000),
      });
      await answer.body?.cancel();
      return answer.ok;
    } catch {
      return false;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const send = (status: number, message: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
    };
    if (request.method !== 'POST') return send(405, 'POST only');
    const body = await readBody(request);
    if (body === null) return send(413, 'too large');
    const header = request.headers[WEBHOOK_HEADERS.signature.toLowerCase()];
    const verdict = verifyWebhookSignature({
      secret: options.secret,
      body,
      header: typeof header === 'string' ? header : undefined,
      nowSeconds: Math.floor(now() / 1000),
    });
    if (verdict !== 'ok') return send(401, `signature ${verdict}`);
    const deliveryId = request.headers[WEBHOOK_HEADERS.delivery.toLowerCase()];
    if (typeof deliveryId !== 'string' || deliveryId === '') return send(400, 'no delivery id');
    if (delivered.has(deliveryId)) return send(200, 'already handled');
    let delivery: WebhookDelivery;
    try {
      delivery = JSON.parse(body) as WebhookDelivery;
    } catch {
      return send(400, 'not JSON');
    }
    // Once a person has taken over, the bot stays out of the conversation.
    if (delivery.type !== 'message.created' || delivery.message.author !== 'visitor' || handedOver.has(delivery.conversation.id)) {
      remember(deliveryId);
      return send(200, 'nothing to say');
    }
    const answer = botAnswer(delivery.message.text);
    if (!(await reply(delivery, deliveryId, answer.text))) return send(502, 'reply not stored; send it again');
    if (answer.handOver) handedOver.add(delivery.conversation.id);
    remember(deliveryId);
    return send(200, 'answered');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Points a registered widget's webhook at the bot and gives the widget the bot's secret, so
 * each start's bot (its port, its secret) is the one deliveries go to. Saves only when the URL
 * changed; the secret is replaced every time (a kept widget may carry an earlier run's).
 * @returns `false` when the widget is not registered (nothing changed).
 */
export async function attachDemoBot(
  registry: Pick<WidgetRegistry, 'getWidget' | 'putWidget' | 'rotateWebhookSecret'>,
  widgetId: string,
  bot: { url: string; secret: string },
  now: number = Date.now(),
): Promise<boolean> {
  const widget = await registry.getWidget(widgetId);
  if (widget === null) return false;
  if (widget.webhookUrl !== bot.url) {
    const { name, allowedOrigins, content } = widget;
    await registry.putWidget({
      widgetId,
      owner: widget.owner,
      document: { name, allowedOrigins, content, webhookUrl: bot.url },
      expectedRevision: widget.revision,
      now,
      newWebhookSecret: bot.secret,
    });
  }
  return registry.rotateWebhookSecret(widgetId, widget.owner, bot.secret);
}
