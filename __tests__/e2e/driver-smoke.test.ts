import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEngineStage, waitForState } from './support/stage';
import type { EngineStage } from './support/stage';

let stage: EngineStage;
beforeAll(async () => {
  stage = await createEngineStage();
});
afterAll(() => stage?.close());

test('the driver opens the host, reaches the widget frame, clicks the launcher in the shadow root, and reloads', async () => {
  const { page, widget } = await stage.openHost();
  expect(await widget.evaluate(() => location.origin)).toBe(stage.demo.widgetOrigin);
  await page.click('[data-testid="widget-launcher"]');
  await page.waitFor(() => document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe')?.hidden === false);
  await widget.fill('[data-testid="chat-input"]', 'hello');
  expect(await widget.evaluate(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value)).toBe('hello');
  await page.reload();
  await waitForState(await stage.widgetOf(page), 'connected');
  expect(await widget.evaluate(() => (document.querySelector('[data-testid="chat-input"]') as HTMLInputElement).value)).toBe('');
});
