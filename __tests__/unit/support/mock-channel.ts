/**
 * An in-memory MessageChannel: messages are structured-cloned and delivered in a
 * microtask, buffered until `start()` like real ports, and dropped once either end is
 * closed. It counts its listeners so tests can prove nothing is left behind.
 */
export class MockPort extends EventTarget {
  other: MockPort | null = null;
  closed = false;
  listenerCount = 0;
  readonly sent: unknown[] = [];
  #started = false;
  #buffer: unknown[] = [];

  postMessage(data: unknown): void {
    if (this.closed) return;
    this.sent.push(data);
    const other = this.other;
    const copy = structuredClone(data);
    queueMicrotask(() => other?.receive(copy));
  }

  receive(data: unknown): void {
    if (this.closed || this.other?.closed) return;
    if (!this.#started) return void this.#buffer.push(data);
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const buffered = this.#buffer;
    this.#buffer = [];
    for (const data of buffered) this.receive(data);
  }

  close(): void {
    this.closed = true;
  }

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    if (type === 'message' && listener) this.listenerCount += 1;
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    if (type === 'message' && listener) this.listenerCount -= 1;
    super.removeEventListener(type, listener, options);
  }
}

export class MockMessageChannel {
  static created: MockMessageChannel[] = [];
  readonly port1 = new MockPort();
  readonly port2 = new MockPort();

  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
    MockMessageChannel.created.push(this);
  }
}

/** Both ends of a fresh mock channel, typed as MessagePorts. */
export function mockPorts(): { port1: MessagePort & MockPort; port2: MessagePort & MockPort } {
  const channel = new MockMessageChannel();
  return channel as unknown as { port1: MessagePort & MockPort; port2: MessagePort & MockPort };
}
