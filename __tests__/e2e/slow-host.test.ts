import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineLabel, sharedThreadReason } from './support/driver';
import type { TestDocument, TestFrame, TestPage } from './support/driver';
import { createEngineStage, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

/**
 * A host page too busy to answer while the widget loads never costs the visitor the
 * conversation stored there: the widget shows what it has, holds its writes, and merges
 * once the host answers.
 */

const CONVERSATION_KEY = 'framewire:demo:conversation';
/** Longer than the widget's reads take to give up (3 attempts of 2 s), with room to type. */
const BLOCK_MS = 15_000;

// Where the widget's frame runs on the host page's thread, nothing can be typed in it while
// the host is blocked either.
const sharedThread = sharedThreadReason();
const sharesHostThread = sharedThread !== undefined;

let stage: EngineStage;
beforeAll(async () => {
  if (sharesHostThread) return;
  stage = await createEngineStage({ init: { debug: true } });
});
afterAll(() => stage?.close());

/**
 * Types and sends a message. The click is dispatched inside the frame: a pointer click
 * needs hit-testing through the host page, whose thread may be blocked.
 */
async function send(widget: TestFrame, text: string): Promise<void> {
  await widget.fill('[data-testid="chat-input"]', text);
  await widget.evaluate(() => (document.querySelector('[data-testid="chat-send"]') as HTMLButtonElement).click());
  await widget.waitFor(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value === '', undefined, {
    message: 'the input to clear after sending',
  });
}

/** The visitor's messages the widget shows, in order. */
const shownVisitorTexts = (widget: TestDocument): Promise<string[]> =>
  widget.evaluate(() => [...document.querySelectorAll('[data-role="visitor"]')].map((bubble) => bubble.textContent ?? ''));

/** The visitor's messages in the host's localStorage, in order. */
const storedVisitorTexts = (page: TestPage): Promise<string[]> =>
  page.evaluate((key) => {
    const messages = JSON.parse(localStorage.getItem(key) ?? '[]') as { role: string; text: string }[];
    return messages.filter((m) => m.role === 'visitor').map((m) => m.text);
  }, CONVERSATION_KEY);

/**
 * Reloads the widget's frame (its fallback is memory in the sandboxed frame: empty again), and blocks the
 * host page's main thread for `ms` right after it has answered the new frame's handshake:
 * the frame is connected, and its first reads of the host's storage go unanswered.
 */
async function reloadFrameWhileHostBlocks(page: TestPage, widgetOrigin: string, ms: number): Promise<void> {
  await page.evaluate(
    ({ origin, duration }) => {
      const onMessage = (event: MessageEvent): void => {
        const data = event.data as { type?: unknown } | null;
        if (event.origin !== origin || data?.type !== 'handshake') return;
        window.removeEventListener('message', onMessage);
        // Added after the embed's own listener, so this runs once the handshake is answered.
        const end = Date.now() + duration;
        while (Date.now() < end) {
          // busy: the host answers nothing meanwhile
        }
      };
      window.addEventListener('message', onMessage);
      const iframe = document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe');
      if (!iframe) throw new Error('widget iframe missing');
      const src = iframe.src;
      iframe.src = src;
    },
    { origin: widgetOrigin, duration: ms },
  );
}

describe('a host page blocked while the widget loads', () => {
  test.skipIf(sharesHostThread)(
    `in ${engineLabel()}, the stored conversation and a message typed meanwhile are both there after the host frees and the page reloads` +
      (sharesHostThread ? ` (skipped in ${engineLabel()}: ${sharedThread}, so nothing can be typed while it is blocked)` : ''),
    async () => {
      const { page, widget } = await stage.openHost();
      await page.click('[data-testid="widget-launcher"]');
      await widget.waitForSelector('[data-testid="chat-send"]:not([disabled])');
      await send(widget, 'stored one');
      await send(widget, 'stored two');
      await page.waitFor((key) => (localStorage.getItem(key) ?? '').includes('stored two'), CONVERSATION_KEY, {
        message: 'the conversation to reach the host',
      });

      // Marks the current document, so that only the reloaded one counts below.
      await widget.evaluate(() => void ((window as unknown as { beforeReload: boolean }).beforeReload = true));
      await reloadFrameWhileHostBlocks(page, stage.demo.widgetOrigin, BLOCK_MS);
      // The reads gave up: the chat is ready, from the (empty) fallback, while the host is still blocked.
      await widget.waitFor(
        () => !('beforeReload' in window) && document.querySelector('[data-testid="chat-send"]:not([disabled])') !== null,
        undefined,
        { timeout: BLOCK_MS, message: 'the reloaded widget to be ready while the host is blocked' },
      );
      expect(await shownVisitorTexts(widget)).toEqual([]);
      await send(widget, 'typed while the host was blocked');

      // The host answers again: the widget reads the stored conversation, merges, and writes.
      await page.waitFor((key) => (localStorage.getItem(key) ?? '').includes('typed while the host was blocked'), CONVERSATION_KEY, {
        timeout: BLOCK_MS + 20_000,
        message: 'the merged conversation to reach the host',
      });
      const merged = ['stored one', 'stored two', 'typed while the host was blocked'];
      expect(await storedVisitorTexts(page)).toEqual(merged);
      await widget.waitFor((count) => document.querySelectorAll('[data-role="visitor"]').length === count, merged.length, {
        message: 'the merged conversation on screen',
      });
      expect(await shownVisitorTexts(widget)).toEqual(merged);

      await page.reload();
      const reloaded = await stage.widgetOf(page);
      await waitForState(reloaded, 'connected');
      await reloaded.waitFor((count) => document.querySelectorAll('[data-role="visitor"]').length === count, merged.length, {
        message: 'the conversation to load after the reload',
      });
      expect(await shownVisitorTexts(reloaded)).toEqual(merged);
      expect(await storedVisitorTexts(page)).toEqual(merged);
    },
    90_000,
  );
});
