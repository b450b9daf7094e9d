import type { MockPort } from './mock-channel';

export interface FakeMessageEvent {
  data: unknown;
  origin: string;
  source: unknown;
  ports: readonly MockPort[];
}

type Listener = (event: FakeMessageEvent) => void;

/**
 * A window that only does messaging, standing in for the host page or the widget frame.
 * jsdom does not set `MessageEvent.origin` or `source` faithfully, so origin checks are
 * exercised here with events whose origin and source the test controls, and in Chromium.
 */
export class FakeWindow {
  readonly listeners = new Set<Listener>();
  /** Messages posted to this window: [data, targetOrigin, sender]. */
  readonly inbox: { data: unknown; targetOrigin: string }[] = [];
  /** Set by `link`: who posts to this window, as seen by its listeners. */
  peer: FakeWindow | null = null;

  constructor(readonly origin: string) {}

  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.delete(listener);
  }

  /** Called by the other side's code (`target.postMessage(…)`). */
  postMessage(data: unknown, targetOrigin: string, transfer: MockPort[] = []): void {
    this.inbox.push({ data, targetOrigin });
    if (targetOrigin !== this.origin) return; // The browser drops a mismatched targetOrigin.
    const sender = this.peer;
    const copy = structuredClone(data);
    queueMicrotask(() => this.emit({ data: copy, origin: sender?.origin ?? 'null', source: sender, ports: transfer }));
  }

  /** Delivers an event as if the browser had, with any origin and source the test likes. */
  emit(event: FakeMessageEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  asWindow(): Window {
    return this as unknown as Window;
  }
}

/** A host page and its widget frame, each posting to the other. */
export function linkWindows(hostOrigin: string, widgetOrigin: string): { host: FakeWindow; widget: FakeWindow; iframe: HTMLIFrameElement } {
  const host = new FakeWindow(hostOrigin);
  const widget = new FakeWindow(widgetOrigin);
  host.peer = widget;
  widget.peer = host;
  const iframe = { contentWindow: widget } as unknown as HTMLIFrameElement;
  return { host, widget, iframe };
}
