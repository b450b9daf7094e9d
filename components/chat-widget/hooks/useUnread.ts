import { useEffect, useRef, useState } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import { UnreadCounter, watchFrameVisibility } from '../../../lib/chat-widget/conversations';
import type { FrameVisibility } from '../../../lib/chat-widget/conversations';

/**
 * Replies that came while the visitor could not see them, reported to the host's launcher
 * badge (`setUnread`): the panel minimised by the widget's own button, the host's iframe
 * hidden (the launcher closed it), or the tab hidden. 0 as soon as the thread is seen again.
 * A host without the method (an older embed script) refuses the call; that is ignored.
 */
export function useUnread(bridge: BridgeClient | null, isOpen: boolean, ready: boolean, messages: readonly ChatMessage[]): number {
  const [count, setCount] = useState(0);
  const [frameVisible, setFrameVisible] = useState(false);
  const counter = useRef<UnreadCounter | null>(null);
  counter.current ??= new UnreadCounter({
    report: (next) => {
      setCount(next);
      bridge?.call('setUnread', next).catch(() => undefined);
    },
  });

  const watch = useRef<FrameVisibility | null>(null);
  useEffect(() => {
    const watching = watchFrameVisibility(setFrameVisible);
    watch.current = watching;
    return () => {
      watching.stop();
      watch.current = null;
    };
  }, []);
  useEffect(() => counter.current?.setSeen(isOpen && frameVisible), [isOpen, frameVisible]);
  useEffect(() => {
    if (!ready) return;
    // Read again now: a frame hidden by the host may have had no event to say so.
    counter.current?.setSeen(isOpen && (watch.current?.visibleNow() ?? frameVisible));
    // What the thread holds when it has loaded is the baseline, not news.
    counter.current?.note(messages);
  }, [ready, messages, isOpen, frameVisible]);
  return count;
}
