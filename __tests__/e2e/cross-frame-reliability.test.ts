import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineLabel, sharedThreadReason, sleep } from './support/driver';
import type { TestFrame, TestPage } from './support/driver';
import { createEngineStage } from './support/stage';
import type { EngineStage } from './support/stage';
import { showOffer } from './support/survey';

const CONVERSATION_KEY = 'framewire:demo:conversation';

let stage: EngineStage;
beforeAll(async () => {
  stage = await createEngineStage({ init: { debug: true } });
});

/**
 * Where the widget frame runs on the host page's thread, a blocked host blocks the widget
 * too: there is no stalled host for it to detect. WebKitGTK has no site isolation, and
 * puppeteer starts Firefox with it turned off (`fission.webContentIsolationStrategy` 0).
 */
const sharedThread = sharedThreadReason() && `${sharedThreadReason()} and stalls too`;
afterAll(() => stage?.close());

/** Blocks the host page's main thread for `ms`; resolves when it is free again. */
function stallHost(page: TestPage, ms: number): Promise<number> {
  return page.evaluate((duration) => {
    const started = Date.now();
    const end = started + duration;
    while (Date.now() < end) {
      // busy: the host answers nothing meanwhile
    }
    return started;
  }, ms);
}

/** Records, in the widget, when `connection-status` enters each state. */
async function recordStates(widget: TestFrame): Promise<void> {
  await widget.evaluate(() => {
    const w = window as unknown as { stateLog: { state: string; at: number }[] };
    w.stateLog = [];
    const status = document.querySelector('[data-testid="connection-status"]') as Element;
    new MutationObserver(() => w.stateLog.push({ state: status.getAttribute('data-state') ?? '', at: Date.now() })).observe(status, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

const stateLog = (widget: TestFrame) => widget.evaluate(() => (window as unknown as { stateLog: { state: string; at: number }[] }).stateLog);

/**
 * Types and sends a message. The click is dispatched inside the frame: a pointer click
 * needs hit-testing through the host page, whose thread the test keeps blocked.
 */
async function send(widget: TestFrame, text: string): Promise<void> {
  await widget.fill('[data-testid="chat-input"]', text);
  await widget.evaluate(() => (document.querySelector('[data-testid="chat-send"]') as HTMLButtonElement).click());
  await widget.waitFor(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value === '');
}

/** Waits until the widget's document shows `text` (after a reload: the conversation came back from the host). */
const waitForText = (widget: TestFrame, text: string): Promise<boolean> =>
  widget.waitFor((wanted) => document.body.textContent?.includes(wanted) ?? false, text, { message: `"${text}" in the widget` });

describe(`in ${engineLabel()}, at default settings, a stalled host page`, () => {
  test.skipIf(sharedThread !== undefined)(
    `blocked 20 s: disconnected within 8 s, messages typed meanwhile reach its localStorage in order, connected again${sharedThread ? ` (skipped in ${engineLabel()}: ${sharedThread})` : ''}`,
    async () => {
      const { page, widget } = await stage.openHost();
      await page.click('[data-testid="widget-launcher"]');
      await widget.waitForSelector('[data-testid="chat-send"]:not([disabled])');
      await send(widget, 'before the stall');
      await page.waitFor((key) => (localStorage.getItem(key) ?? '').includes('before the stall'), CONVERSATION_KEY);
      await recordStates(widget);

      const stall = stallHost(page, 20_000);
      await widget.waitForSelector('[data-testid="connection-status"][data-state="disconnected"]', { timeout: 12_000 });
      const typed = ['one while stalled', 'two while stalled', 'three while stalled'];
      for (const text of typed) await send(widget, text);
      expect(await widget.evaluate(() => document.querySelector('[data-testid="connection-status"]')?.textContent)).toContain('Connection lost. Retrying');
      const stalledAt = await stall;
      const freedAt = stalledAt + 20_000;

      await widget.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 10_000 });
      const log = await stateLog(widget);
      const down = log.find((entry) => entry.state === 'disconnected');
      const up = log.find((entry) => entry.state === 'connected');
      expect(down && down.at - stalledAt).toBeLessThanOrEqual(8000);
      expect(up && up.at - freedAt).toBeLessThanOrEqual(6000);

      await page.waitFor((key) => (localStorage.getItem(key) ?? '').includes('three while stalled'), CONVERSATION_KEY, { timeout: 5000 });
      const stored = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), CONVERSATION_KEY)) ?? '[]') as { role: string; text: string }[];
      expect(stored.filter((m) => m.role === 'visitor').map((m) => m.text)).toEqual(['before the stall', ...typed]);

      // The conversation survives a host page reload.
      await page.reload();
      await waitForText(await stage.widgetOf(page), 'three while stalled');
    },
    60_000,
  );

  test('blocked 1 s: never disconnected', async () => {
    const { page, widget } = await stage.openHost();
    await recordStates(widget);
    for (let i = 0; i < 3; i++) {
      await stallHost(page, 1000);
      await sleep(1200);
    }
    await sleep(3000);
    expect((await stateLog(widget)).map((entry) => entry.state)).not.toContain('disconnected');
  });

  test('survey answers are buttons, an answer shows its offer, and the minimised state survives a reload', async () => {
    const { page, widget } = await stage.openHost();
    await page.click('[data-testid="widget-launcher"]');
    await widget.waitForSelector('[data-testid="answer-button"]');
    expect(await widget.evaluate(() => document.querySelectorAll('[data-testid="answer-button"]').length)).toBeGreaterThanOrEqual(2);
    expect(await widget.evaluate(() => document.querySelectorAll('[data-testid="offer-button"]').length)).toBe(0);
    await showOffer(widget, 'offer-boots');
    await widget.click('[data-testid="chat-minimise"]');
    await page.waitFor(() => localStorage.getItem('framewire:demo:open') === 'false');
    await page.reload();
    await (await stage.widgetOf(page)).waitForSelector('[data-open="false"]');
  });
});
