import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebhookDispatcher } from '../../server/webhooks';
import type { ClaimedDelivery, DeliveryClaim, WebhookDispatcher, WebhookOutbox, WebhookPost } from '../../server/webhooks';

const T0 = Date.UTC(2026, 0, 1, 12);

const due = (messageId: string): ClaimedDelivery => ({
  conversationId: 'c-1',
  messageId,
  widgetId: 'shop',
  attempts: 0,
  createdAt: T0,
  url: 'https://93.184.215.14/hook',
  secret: 'secret',
  payload: {
    type: 'message.created',
    widgetId: 'shop',
    conversation: { id: 'c-1', anonymousId: 'a', userId: null, status: 'open' },
    message: { id: messageId, conversationId: 'c-1', author: 'visitor', text: 'hi', createdAt: T0, seq: 1 },
  },
});

/** An outbox holding a queue of due deliveries, handed out `limit` at a time. */
function queueOutbox(queue: ClaimedDelivery[]) {
  const claims: DeliveryClaim[] = [];
  const finished: string[] = [];
  const outbox: WebhookOutbox = {
    claimDueDeliveries: async (claim) => {
      claims.push(claim);
      return queue.splice(0, claim.limit);
    },
    finishDelivery: async (key, _claimer, outcome) => void finished.push(`${key.messageId}:${outcome.kind}`),
  };
  return { outbox, claims, finished };
}

describe('the webhook dispatcher loop', () => {
  let dispatcher: WebhookDispatcher | undefined;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(async () => {
    await dispatcher?.stop();
    vi.useRealTimers();
  });

  const start = (outbox: WebhookOutbox, post: (post: WebhookPost) => Promise<{ status: number }>) => {
    dispatcher = createWebhookDispatcher({
      outbox,
      instanceId: 'collector-a',
      now: () => Date.now(),
      logger: { info: () => undefined, warn: () => undefined },
      post,
      batchSize: 2,
      pollIntervalMs: 1000,
    });
    return dispatcher;
  };

  it('looks at the outbox at start, then every pollIntervalMs', async () => {
    const { outbox, claims } = queueOutbox([]);
    start(outbox, async () => ({ status: 200 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(claims).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(claims).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(claims).toHaveLength(2);
    expect(claims[1]).toMatchObject({ claimer: 'collector-a', now: T0 + 1000, leaseMs: 60_000, limit: 2 });
  });

  it('claims the next batch at once after a full one, and waits after a partial one', async () => {
    const { outbox, claims, finished } = queueOutbox([due('m-1'), due('m-2'), due('m-3')]);
    start(outbox, async () => ({ status: 200 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(finished).toEqual(['m-1:delivered', 'm-2:delivered', 'm-3:delivered']);
    expect(claims).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(900);
    expect(claims).toHaveLength(2);
  });

  it('looks at once when woken, without waiting for the poll', async () => {
    const queue: ClaimedDelivery[] = [];
    const { outbox, finished } = queueOutbox(queue);
    start(outbox, async () => ({ status: 200 }));
    await vi.advanceTimersByTimeAsync(0);
    queue.push(due('m-1'));
    dispatcher?.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toEqual(['m-1:delivered']);
  });

  it('ends a POST past its 10 s deadline as a failure to retry', async () => {
    const { outbox, finished } = queueOutbox([due('m-1')]);
    start(
      outbox,
      (post) =>
        new Promise((_resolve, reject) => {
          post.signal.addEventListener('abort', () => reject(post.signal.reason as Error));
        }),
    );
    await vi.advanceTimersByTimeAsync(9_999);
    expect(finished).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(finished).toEqual(['m-1:retry']);
  });

  it('stops polling and aborts a POST in flight without recording it', async () => {
    const { outbox, claims, finished } = queueOutbox([due('m-1')]);
    let aborted = false;
    const running = start(
      outbox,
      (post) =>
        new Promise((_resolve, reject) => {
          post.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    );
    await vi.advanceTimersByTimeAsync(0);
    await running.stop();
    expect(aborted).toBe(true);
    expect(finished).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(claims).toHaveLength(1);
    expect(await running.runOnce()).toBe(0);
  });
});
