import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineLabel } from './support/driver';
import type { TestDocument, TestFrame, TestPage } from './support/driver';
import { createEngineStage, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

/**
 * Limits never erase data: the conversation is bounded by size in the host's localStorage,
 * and a write the host refuses (over a limit, or its storage full) leaves the last good
 * conversation there, for the next page.
 */

const CONVERSATION_KEY = 'framewire:demo:conversation';
const VALUE_LIMIT = 64 * 1024;

let stage: EngineStage;
beforeAll(async () => {
  // `debug` turns on the widget's debug handle (`window.framewireWidget`), used to flush writes.
  stage = await createEngineStage({ init: { debug: true } });
});
afterAll(() => stage?.close());

/** A message of ~1,900 characters that says its number first: `#<n># xxxx…`. */
const longMessage = (n: number): string => `#${n}# ${'x'.repeat(1900)}`;

/** Types a message into the widget and sends it with a click, as a visitor does. */
async function send(widget: TestFrame, text: string): Promise<void> {
  await widget.fill('[data-testid="chat-input"]', text);
  await widget.click('[data-testid="chat-send"]');
  await widget.waitFor(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value === '', undefined, {
    message: 'the input to clear after sending',
  });
}

/** The numbers of the visitor's messages the widget shows, in order. */
const shownNumbers = (widget: TestDocument): Promise<number[]> =>
  widget.evaluate(() =>
    [...document.querySelectorAll('[data-role="visitor"]')].map((bubble) => Number(/^#(\d+)#/.exec(bubble.textContent ?? '')?.[1])),
  );

/** The numbers of the visitor's messages in the host's localStorage, and the value's length. */
const storedConversation = (page: TestPage): Promise<{ numbers: number[]; length: number }> =>
  page.evaluate((key) => {
    const value = localStorage.getItem(key) ?? '[]';
    const messages = JSON.parse(value) as { role: string; text: string }[];
    const numbers = messages.filter((m) => m.role === 'visitor').map((m) => Number(/^#(\d+)#/.exec(m.text)?.[1]));
    return { numbers, length: value.length };
  }, CONVERSATION_KEY);

/** Sends the widget's pending (debounced) writes now and waits until the host has answered them all. */
async function settleWrites(widget: TestFrame): Promise<void> {
  await widget.evaluate(() => (window as unknown as { framewireWidget: { storage: { flush(): void } } }).framewireWidget.storage.flush());
  await widget.waitFor(() => (window as unknown as { framewireWidget: { storage: { getQueueSize(): number } } }).framewireWidget.storage.getQueueSize() === 0, undefined, {
    message: 'the write queue to empty',
  });
}

async function openChat(context?: Parameters<EngineStage['openHost']>[0]): Promise<{ page: TestPage; widget: TestFrame }> {
  const opened = await stage.openHost(context);
  await opened.page.click('[data-testid="widget-launcher"]');
  await opened.widget.waitForSelector('[data-testid="chat-send"]:not([disabled])');
  return opened;
}

/** Reloads the host page and answers the widget frame once it is connected and has loaded the conversation. */
async function reloadHost(page: TestPage): Promise<TestFrame> {
  await page.reload();
  const widget = await stage.widgetOf(page);
  await waitForState(widget, 'connected');
  await widget.waitForSelector('[data-testid="chat-send"]:not([disabled])');
  return widget;
}

const consecutive = (numbers: number[], last: number): number[] => Array.from({ length: numbers.length }, (_, i) => last - numbers.length + 1 + i);

describe('a long conversation in host storage', () => {
  test(`in ${engineLabel()}, after 40 messages of ~1,900 characters and a reload, the newest messages are still shown and stored`, async () => {
    const { page, widget } = await openChat();
    for (let n = 1; n <= 40; n++) await send(widget, longMessage(n));
    expect(await shownNumbers(widget)).toHaveLength(40);
    await settleWrites(widget);

    const stored = await storedConversation(page);
    expect(stored.length).toBeLessThanOrEqual(VALUE_LIMIT);
    expect(stored.numbers.at(-1)).toBe(40);
    expect(stored.numbers.length).toBeGreaterThanOrEqual(20);
    expect(stored.numbers).toEqual(consecutive(stored.numbers, 40));

    const reloaded = await reloadHost(page);
    await reloaded.waitFor(() => document.querySelectorAll('[data-role="visitor"]').length > 0, undefined, { message: 'the conversation to load' });
    expect(await shownNumbers(reloaded)).toEqual(stored.numbers);
    expect((await storedConversation(page)).numbers).toEqual(stored.numbers);
  });

  test(`in ${engineLabel()}, a write refused because the host's localStorage is full leaves the last good conversation after a reload`, async () => {
    const { page, widget } = await openChat(await stage.newContext());
    for (let n = 1; n <= 2; n++) await send(widget, longMessage(n));
    await settleWrites(widget);
    expect((await storedConversation(page)).numbers).toEqual([1, 2]);

    // The host page fills its origin's localStorage up to the browser's quota.
    const filled = await page.evaluate(() => {
      let size = 1 << 20;
      let index = 0;
      let total = 0;
      while (size >= 1) {
        try {
          localStorage.setItem(`filler-${index}`, 'f'.repeat(size));
          index++;
          total += size;
        } catch {
          size = Math.floor(size / 2);
        }
      }
      return total;
    });
    expect(filled).toBeGreaterThan(100_000);

    await send(widget, longMessage(3));
    await settleWrites(widget);
    // Refused: the host still has the two messages, the visitor still sees three.
    expect((await storedConversation(page)).numbers).toEqual([1, 2]);
    expect(await shownNumbers(widget)).toEqual([1, 2, 3]);

    const reloaded = await reloadHost(page);
    await reloaded.waitFor(() => document.querySelectorAll('[data-role="visitor"]').length > 0, undefined, { message: 'the conversation to load' });
    expect(await shownNumbers(reloaded)).toEqual([1, 2]);
    expect((await storedConversation(page)).numbers).toEqual([1, 2]);
  });

  test(`in ${engineLabel()}, a value over the host's 64 K limit is refused and the last good conversation stays after a reload`, async () => {
    const { page, widget } = await openChat(await stage.newContext());
    await send(widget, longMessage(1));
    await settleWrites(widget);
    expect((await storedConversation(page)).numbers).toEqual([1]);

    // Through the widget's own adapter: a conversation value one unit over the limit.
    await widget.evaluate((limit) => {
      const handle = (window as unknown as { framewireWidget: { storage: { setItem(key: string, value: string): void } } }).framewireWidget;
      handle.storage.setItem('conversation', JSON.stringify([{ id: 'big', role: 'visitor', text: 'y'.repeat(limit), at: 0 }]));
    }, VALUE_LIMIT);
    await settleWrites(widget);
    expect((await storedConversation(page)).numbers).toEqual([1]);

    const reloaded = await reloadHost(page);
    await reloaded.waitFor(() => document.querySelectorAll('[data-role="visitor"]').length > 0, undefined, { message: 'the conversation to load' });
    expect(await shownNumbers(reloaded)).toEqual([1]);
  });
});
