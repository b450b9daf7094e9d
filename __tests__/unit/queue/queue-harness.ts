import { afterEach, beforeEach, vi } from 'vitest';
import { createEventQueue } from '../../../lib/embed/queue/event-queue';
import type { EventQueue, EventQueueDeps } from '../../../lib/embed/queue/event-queue';

/** The click endpoint the queue tests send to. */
export const CLICK_URL = 'https://c.example/api/track/click/batch';

/**
 * The set-up every queue test file shares: fake timers, an empty localStorage and an online
 * navigator before each test; after it, every queue the test kept is destroyed and real
 * timers are back. Call once at the top of a test file; `keep` a queue to have it destroyed.
 */
export function useQueueHarness(): { keep: (queue: EventQueue) => EventQueue; start: (deps: EventQueueDeps, options?: Record<string, unknown>) => EventQueue } {
  const queues: EventQueue[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
  });
  afterEach(() => {
    for (const queue of queues.splice(0)) queue.destroy();
    vi.useRealTimers();
  });
  const keep = (queue: EventQueue): EventQueue => {
    queues.push(queue);
    return queue;
  };
  return {
    keep,
    /** A click queue without jitter, so waits are exact. */
    start: (deps, options = {}) => keep(createEventQueue({ url: CLICK_URL, widgetId: 'demo', jitter: 0, ...options }, deps)),
  };
}
