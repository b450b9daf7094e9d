import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStage } from './support/harness';
import type { Stage } from './support/harness';

const CONVERSATION_KEY = 'framewire:demo:conversation';

let stage: Stage;
beforeAll(async () => {
  stage = await createStage({ init: { debug: true } });
});
afterAll(() => stage?.close());

/** Blocks the host page's main thread for `ms`; resolves when it is free again. */
function stallHost(page: Page, ms: number): Promise<number> {
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
async function recordStates(widget: Frame): Promise<void> {
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

const stateLog = (widget: Frame) => widget.evaluate(() => (window as unknown as { stateLog: { state: string; at: number }[] }).stateLog);

/**
 * Types and sends a message. The click is dispatched inside the frame: a pointer click
 * needs hit-testing through the host page, whose thread the test keeps blocked.
 */
async function send(widget: Frame, text: string): Promise<void> {
  await widget.fill('[data-testid="chat-input"]', text);
  await widget.evaluate(() => (document.querySelector('[data-testid="chat-send"]') as HTMLButtonElement).click());
  await widget.waitForFunction(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value === '');
}

describe('in Chromium, at default settings, a stalled host page', () => {
  test('blocked 20 s: disconnected within 8 s, messages typed meanwhile reach its localStorage in order, connected again', async () => {
    const { page, widget } = await stage.openHost();
    await page.getByTestId('widget-launcher').click();
    await widget.waitForSelector('[data-testid="chat-send"]:not([disabled])');
    await send(widget, 'before the stall');
    await page.waitForFunction((key) => (localStorage.getItem(key) ?? '').includes('before the stall'), CONVERSATION_KEY);
    await recordStates(widget);

    const stall = stallHost(page, 20_000);
    await widget.waitForSelector('[data-testid="connection-status"][data-state="disconnected"]', { state: 'attached', timeout: 12_000 });
    const typed = ['one while stalled', 'two while stalled', 'three while stalled'];
    for (const text of typed) await send(widget, text);
    expect(await widget.textContent('[data-testid="connection-status"]')).toContain('Connection lost. Retrying');
    const stalledAt = await stall;
    const freedAt = stalledAt + 20_000;

    await widget.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { state: 'attached', timeout: 10_000 });
    const log = await stateLog(widget);
    const down = log.find((entry) => entry.state === 'disconnected');
    const up = log.find((entry) => entry.state === 'connected');
    expect(down && down.at - stalledAt).toBeLessThanOrEqual(8000);
    expect(up && up.at - freedAt).toBeLessThanOrEqual(6000);

    await page.waitForFunction((key) => (localStorage.getItem(key) ?? '').includes('three while stalled'), CONVERSATION_KEY, { timeout: 5000 });
    const stored = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), CONVERSATION_KEY)) ?? '[]') as { role: string; text: string }[];
    expect(stored.filter((m) => m.role === 'visitor').map((m) => m.text)).toEqual(['before the stall', ...typed]);

    // The conversation survives a host page reload.
    await page.reload();
    const frame = page.frames().find((f) => f.url().startsWith(stage.demo.widgetOrigin));
    if (!frame) throw new Error('widget frame missing');
    await frame.waitForSelector('text=three while stalled', { state: 'attached' });
  }, 60_000);

  test('blocked 1 s: never disconnected', async () => {
    const { page, widget } = await stage.openHost();
    await recordStates(widget);
    for (let i = 0; i < 3; i++) {
      await stallHost(page, 1000);
      await page.waitForTimeout(1200);
    }
    await page.waitForTimeout(3000);
    expect((await stateLog(widget)).map((entry) => entry.state)).not.toContain('disconnected');
  });

  test('survey offers are buttons, and the minimised state survives a reload', async () => {
    const { page, widget } = await stage.openHost();
    await page.getByTestId('widget-launcher').click();
    expect(await widget.locator('[data-testid="offer-button"]').count()).toBeGreaterThanOrEqual(2);
    await widget.click('[data-testid="chat-minimise"]');
    await page.waitForFunction(() => localStorage.getItem('framewire:demo:open') === 'false');
    await page.reload();
    const frame = page.frames().find((f) => f.url().startsWith(stage.demo.widgetOrigin));
    if (!frame) throw new Error('widget frame missing');
    await frame.waitForSelector('[data-open="false"]', { state: 'attached' });
  });
});
