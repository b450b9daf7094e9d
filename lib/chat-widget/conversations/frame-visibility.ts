/**
 * Whether the widget's frame is on screen, as far as the frame can tell:
 * - `document.visibilityState` (the tab is hidden or minimised);
 * - an `IntersectionObserver` on the frame's own root: the host's launcher hides the iframe
 *   (`hidden`, so no box) without telling the widget, and an element of a frame with no box
 *   does not intersect the viewport. Where there is none, only the first applies.
 * Returns the stop function; `listener` gets every change, and the first state at once.
 */
export function watchFrameVisibility(listener: (visible: boolean) => void, doc: Document = document): () => void {
  let pageVisible = doc.visibilityState !== 'hidden';
  const Observer = doc.defaultView?.IntersectionObserver;
  // The host's panel starts closed, and a frame with no box may not be observed at all
  // until it is shown: until the observer's first answer, the frame counts as not shown.
  let intersecting = !Observer;
  let last: boolean | null = null;
  const tell = (): void => {
    const visible = pageVisible && intersecting;
    if (visible === last) return;
    last = visible;
    listener(visible);
  };
  const onVisibility = (): void => {
    pageVisible = doc.visibilityState !== 'hidden';
    tell();
  };
  doc.addEventListener('visibilitychange', onVisibility);
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
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    observer?.disconnect();
  };
}
