import { describe, expect, test, vi } from 'vitest';
import { listenForWake } from '../../../../lib/chat-widget/connection-monitor/wake-events';

function target(visibilityState: DocumentVisibilityState) {
  const events = new EventTarget();
  return Object.assign(events, { document: { visibilityState } }) as unknown as Window;
}

describe('listenForWake', () => {
  test('online, focus and the page becoming visible wake; a hidden page does not', () => {
    const visible = target('visible');
    const onWake = vi.fn();
    listenForWake(visible, onWake);
    for (const type of ['online', 'focus', 'visibilitychange']) visible.dispatchEvent(new Event(type));
    expect(onWake).toHaveBeenCalledTimes(3);

    const hidden = target('hidden');
    const onHiddenWake = vi.fn();
    listenForWake(hidden, onHiddenWake);
    hidden.dispatchEvent(new Event('visibilitychange'));
    expect(onHiddenWake).not.toHaveBeenCalled();
  });

  test('nothing wakes after the listeners are removed', () => {
    const visible = target('visible');
    const onWake = vi.fn();
    const remove = listenForWake(visible, onWake);
    remove();
    for (const type of ['online', 'focus', 'visibilitychange']) visible.dispatchEvent(new Event(type));
    expect(onWake).not.toHaveBeenCalled();
  });
});
