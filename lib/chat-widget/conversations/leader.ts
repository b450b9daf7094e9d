/** The part of `navigator.locks` the leader uses. */
export interface LockManagerLike {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** The part of a `BroadcastChannel` the leader uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** What the widget frames of one browser share: Web Locks and a BroadcastChannel, where both exist. */
export interface SharingEnvironment {
  locks: LockManagerLike | null;
  openChannel: ((name: string) => ChannelLike) | null;
}

/** The browser's, or `null` parts where it lacks them (then every tab long-polls on its own). */
export function browserSharing(): SharingEnvironment {
  const locks = typeof navigator === 'undefined' ? null : ((navigator as Navigator & { locks?: LockManagerLike }).locks ?? null);
  const openChannel = typeof BroadcastChannel === 'undefined' ? null : (name: string) => new BroadcastChannel(name) as ChannelLike;
  return { locks, openChannel };
}

export interface Leadership {
  /** Whether this frame can take part (Web Locks and BroadcastChannel both exist). */
  readonly supported: boolean;
  /** Sends to the other frames of the widget (not to this one). */
  publish(message: unknown): void;
  /** Lets the lock go (the next frame waiting takes it) and closes the channel. */
  destroy(): void;
}

export interface LeadershipOptions {
  widgetId: string;
  environment: SharingEnvironment;
  /** This frame holds the lock now: it alone reads the stream. Called once at most. */
  onLead(): void;
  /** Something another frame published (unchecked: the caller parses it). */
  onShared(message: unknown): void;
}

/**
 * One stream per widget and browser (per host site, where the browser partitions a frame's
 * storage by its top-level site).
 *
 * 1. Every widget frame asks for the Web Lock `framewire:<widgetId>:stream`; the browser
 *    grants it to one, the others wait in line.
 * 2. The holder reads the stream and publishes what it receives on the BroadcastChannel
 *    `framewire:<widgetId>`; the others listen.
 * 3. The browser frees the lock when the holder's page goes (closed, reloaded, crashed); the
 *    next frame in line gets it and resumes the stream from the cursor it has followed.
 */
export function createLeadership(options: LeadershipOptions): Leadership {
  const { locks, openChannel } = options.environment;
  if (!locks || !openChannel) return { supported: false, publish: () => undefined, destroy: () => undefined };
  const stop = new AbortController();
  const channel = openChannel(`framewire:${options.widgetId}`);
  const listen = (event: MessageEvent): void => options.onShared(event.data);
  channel.addEventListener('message', listen);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  locks
    .request(`framewire:${options.widgetId}:stream`, { signal: stop.signal }, () => {
      if (stop.signal.aborted) return Promise.resolve();
      options.onLead();
      return held;
    })
    // Aborted while waiting in line: nothing to do.
    .catch(() => undefined);
  let destroyed = false;
  return {
    supported: true,
    publish(message) {
      if (!destroyed) channel.postMessage(message);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stop.abort();
      release();
      channel.removeEventListener('message', listen);
      channel.close();
    },
  };
}
