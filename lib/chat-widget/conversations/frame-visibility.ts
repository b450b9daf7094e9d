/** A watch on whether the widget's frame is on screen. */
export interface FrameVisibility {
  /** Whether it is now, checked at the call (some changes come with no event: see below). */
  visibleNow(): boolean;
  stop(): void;
}

/**
 * Whether the widget's frame is on screen, as far as the frame can tell (the host's launcher
 * hides the iframe, `hidden`, without telling the widget):
 * - `document.visibilityState` (the tab is hidden or minimised);
 * - an `IntersectionObserver` on the frame's own root. Chromium and WebKit report a hidden
 *   iframe as not intersecting; Chromium and Firefox send nothing at all for a frame that
 *   loads hidden, so until the observer's first answer the frame counts as not shown;
 * - the frame's viewport size: a hidden iframe has none (`innerWidth` 0). Firefox reports
 *   neither an intersection change nor a `resize` when the iframe is hidden again, so this is
 *   also read at the moment it matters (`visibleNow()`, when a reply arrives).
 * `listener` gets every change, and the first state at once. Where there is no
 * `IntersectionObserver`, only the other two apply.
 */
export function watchFrameVisibility(listener: (visible: boolean) => void, doc: Document = document): FrameVisibility {
  const view = doc.defaultView;
  const Observer = view?.IntersectionObserver;
  let intersecting = !Observer;
  let last: boolean | null = null;
  const visibleNow = (): boolean => doc.visibilityState !== 'hidden' && intersecting && (!view || (view.innerWidth > 0 && view.innerHeight > 0));
  const tell = (): void => {
    const visible = visibleNow();
    if (visible === last) return;
    last = visible;
    listener(visible);
  };
  doc.addEventListener('visibilitychange', tell);
  view?.addEventListener('resize', tell);
  const observer = Observer
    ? new Observer((entries) => {
        const entry = entries.at(-1);
        if (!entry) return;
        intersecting = entry.isIntersecting;
        tell();
      })
    : null;
  observer?.observe(doc.documentElement);
  tell();
  return {
    visibleNow,
    stop() {
      doc.removeEventListener('visibilitychange', tell);
      view?.removeEventListener('resize', tell);
      observer?.disconnect();
    },
  };
}
