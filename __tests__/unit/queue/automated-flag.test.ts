import { afterEach, describe, expect, test, vi } from 'vitest';
import { click, fakeCollector } from './fake-collector';
import { useQueueHarness } from './queue-harness';

const { start } = useQueueHarness();
const setWebdriver = (value: boolean | undefined) => Object.defineProperty(navigator, 'webdriver', { value, configurable: true });

afterEach(() => setWebdriver(undefined));

describe('the automated flag of the batch envelope', () => {
  test('is true when the page runs in an automated browser (navigator.webdriver)', async () => {
    setWebdriver(true);
    const collector = fakeCollector();
    start({ fetch: collector.fetch }).enqueue(click(1));
    await vi.advanceTimersByTimeAsync(5000);
    expect(collector.requests[0]?.batch).toMatchObject({ widgetId: 'demo', automated: true });
  });

  test('is left out of the envelope otherwise', async () => {
    for (const webdriver of [false, undefined]) {
      setWebdriver(webdriver);
      const collector = fakeCollector();
      start({ fetch: collector.fetch }).enqueue(click(1));
      await vi.advanceTimersByTimeAsync(5000);
      expect(Object.keys(collector.requests[0]?.batch ?? {}).sort()).toEqual(['events', 'widgetId']);
    }
  });
});
