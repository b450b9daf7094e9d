import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConversationMessage, ConversationSummary } from '../../lib/protocol/conversations';
import { uuidv7 } from '../../lib/util/ids';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { send } from '../server/support/http';
import { engineLabel, sleep, until } from './support/driver';
import type { TestFrame, TestPage } from './support/driver';
import { startFaultProxy } from './support/fault-proxy';
import type { FaultProxy } from './support/fault-proxy';
import { createEngineStage, waitForState, STAGE_COLLECTOR_OPTIONS } from './support/stage';
import type { EngineStage } from './support/stage';

/*
 * Conversations end to end: a visitor's message from the real widget reaches the collector
 * once, whatever the network does; the team's reply reaches every tab of the visitor's
 * browser, live, over one stream.
 */

const WIDGET_ID = 'demo';
const API_KEY = 'conversations-e2e-key-0123456789';
const SESSION_KEY = `framewire:${WIDGET_ID}:session_id`;
/** Tabs of one site in the many-tabs test. */
const TABS = 8;

let collector: RunningCollector;
let proxy: FaultProxy;
let stage: EngineStage;

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS,
    port: 0,
    databaseUrl: ':memory:',
    logLevel: 'silent',
    apiKeys: [{ key: API_KEY, owner: 'acme', widgets: [WIDGET_ID] }],
    webhooks: false,
  });
  // The widget reaches the collector through the proxy, so a test can cut the path.
  proxy = await startFaultProxy(collector.url);
  stage = await createEngineStage({ collectorUrl: proxy.url });
});

afterAll(async () => {
  await stage?.close();
  await proxy?.close();
  await collector?.close();
});

const agent = (path: string, body?: unknown) =>
  send(`${collector.url}/api/widgets/${WIDGET_ID}${path}`, { ...(body === undefined ? {} : { method: 'POST', body }), headers: { authorization: `Bearer ${API_KEY}` } });

/** The visitor's conversation, as the team's API lists it. */
async function conversationOf(page: TestPage): Promise<ConversationSummary> {
  const visitor = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
  let found: ConversationSummary | undefined;
  await until('the visitor’s conversation to reach the collector', async () => {
    const list = (await agent('/conversations')).json as { conversations: ConversationSummary[] };
    found = list.conversations.find((conversation) => conversation.anonymousId === visitor);
    return found !== undefined && found.lastSeq > 0;
  });
  return found as ConversationSummary;
}

const visitorMessages = async (conversationId: string): Promise<ConversationMessage[]> =>
  ((await agent(`/conversations/${conversationId}/messages`)).json as { messages: ConversationMessage[] }).messages.filter((m) => m.author === 'visitor');

async function type(widget: TestFrame, text: string): Promise<void> {
  await widget.waitForSelector('[data-testid="chat-input"]', { visible: true });
  await widget.fill('[data-testid="chat-input"]', text);
  await widget.click('[data-testid="chat-send"]');
}

/** Resolves to the time (ms since the epoch, the frame's clock) at which `text` showed in the thread. */
function watchFor(widget: TestFrame, text: string): Promise<void> {
  return widget.evaluate((wanted) => {
    const win = window as unknown as { seenAt?: Record<string, number> };
    win.seenAt ??= {};
    const seen = win.seenAt;
    const check = (): boolean => {
      if (seen[wanted] !== undefined) return true;
      const hit = [...document.querySelectorAll('[data-role="agent"], [data-role="bot"]')].some((node) => node.textContent?.includes(wanted));
      if (hit) seen[wanted] = Date.now();
      return hit;
    };
    if (check()) return;
    const observer = new MutationObserver(() => {
      if (check()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, text);
}

const seenAt = (widget: TestFrame, text: string): Promise<number> =>
  widget.waitFor((wanted) => (window as unknown as { seenAt?: Record<string, number> }).seenAt?.[wanted] ?? null, text, {
    timeout: 10_000,
    message: `the reply "${text}" in the widget`,
  });

describe('conversations', () => {
  test(`in ${engineLabel()}, a visitor's message reaches the team once, and the team's reply shows in the widget within 1 s`, async () => {
    const { page, widget } = await stage.openHost();
    await page.click('[data-testid="widget-launcher"]');
    await type(widget, 'Do you ship to Norway?');
    await widget.waitForSelector('[data-role="visitor"][data-state="sent"]', { timeout: 10_000 });
    const conversation = await conversationOf(page);
    expect((await visitorMessages(conversation.id)).map((m) => m.text)).toEqual(['Do you ship to Norway?']);

    await until('the widget to read its replies', () => collector.openStreams() === 1);
    const reply = `Yes, in 3 days (${uuidv7().slice(-6)})`;
    await watchFor(widget, reply);
    const sentAt = Date.now();
    const posted = await agent(`/conversations/${conversation.id}/messages`, { id: uuidv7(), text: reply });
    expect(posted.status).toBe(201);
    const elapsed = (await seenAt(widget, reply)) - sentAt;
    expect(elapsed, `the reply took ${elapsed} ms`).toBeLessThan(1000);
    await page.close();
  });

  test(`in ${engineLabel()}, a message typed while the collector cannot be reached survives a reload and is delivered once when the path is back`, async () => {
    const context = await stage.newContext();
    const { page, widget } = await stage.openHost(context);
    await page.click('[data-testid="widget-launcher"]');
    // One message first, so the conversation exists; then the path goes.
    await type(widget, 'Hello');
    await widget.waitForSelector('[data-role="visitor"][data-state="sent"]', { timeout: 10_000 });
    const conversation = await conversationOf(page);

    await proxy.fault({ kind: 'refuse' });
    let healed = false;
    try {
      const text = `Typed with the network cut (${uuidv7().slice(-6)})`;
      await type(widget, text);
      await widget.waitForSelector('[data-role="visitor"]:not([data-state="sent"])', { timeout: 5_000 });
      await page.reload();
      const again = await stage.widgetOf(page);
      await waitForState(again, 'connected');
      await proxy.heal();
      healed = true;
      await until(
        'the message typed offline to be stored',
        async () => (await visitorMessages(conversation.id)).some((m) => m.text === text),
        40_000,
      );
      // Time to send it again, which it must not: still once.
      await sleep(1500);
      expect((await visitorMessages(conversation.id)).filter((m) => m.text === text)).toHaveLength(1);
    } finally {
      if (!healed) await proxy.heal();
    }
    await context.close();
  });

  test(`in ${engineLabel()}, with ${TABS} tabs of one site open, every tab shows a reply within 5 s while the collector holds at most one stream for them`, async () => {
    const context = await stage.newContext();
    const first = await stage.openHost(context);
    await first.page.click('[data-testid="widget-launcher"]');
    await type(first.widget, 'Anyone there?');
    await first.widget.waitForSelector('[data-role="visitor"][data-state="sent"]', { timeout: 10_000 });
    const conversation = await conversationOf(first.page);
    const tabs = [first];
    for (let i = 1; i < TABS; i++) tabs.push(await stage.openHost(context));
    // Every tab knows the conversation (its thread shows the visitor's message) before the reply.
    for (const tab of tabs) await tab.widget.waitFor(() => (document.querySelector('[data-role="visitor"]') ? true : null), undefined, { timeout: 10_000, message: 'the thread in every tab' });
    await until('one stream for the browser', () => collector.openStreams() === 1, 10_000);

    const reply = `We are here (${uuidv7().slice(-6)})`;
    for (const tab of tabs) await watchFor(tab.widget, reply);
    const sentAt = Date.now();
    expect((await agent(`/conversations/${conversation.id}/messages`, { id: uuidv7(), text: reply })).status).toBe(201);
    const delays = await Promise.all(tabs.map(async (tab) => (await seenAt(tab.widget, reply)) - sentAt));
    expect(Math.max(...delays), `delays: ${delays.join(', ')} ms`).toBeLessThan(5000);
    expect(collector.openStreams()).toBeLessThanOrEqual(1);
    await context.close();
  });
});
