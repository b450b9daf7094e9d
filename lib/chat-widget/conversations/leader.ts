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
  /** Whether this frame can take part (a BroadcastChannel exists; Web Locks when the browser grants them). */
  readonly supported: boolean;
  /** Sends to the other frames of the widget (not to this one). */
  publish(message: unknown): void;
  /** Lets the lead go (the next frame takes it) and closes the channel. */
  destroy(): void;
}

export interface LeadershipOptions {
  widgetId: string;
  environment: SharingEnvironment;
  /** This frame leads now: it alone reads the stream. */
  onLead(): void;
  /**
   * This frame no longer leads (another frame won a tie of the channel election): it stops
   * reading. Never called while Web Locks elect.
   */
  onResign?(): void;
  /** Something another frame published (unchecked: the caller parses it). */
  onShared(message: unknown): void;
}

/** The timings of the election over the channel, where Web Locks are missing or refused. */
export const CHANNEL_ELECTION_TIMINGS = {
  /** The leader says so this often (ms). */
  heartbeatMs: 1000,
  /** A leader not heard from for this long is gone (ms). */
  leaderTimeoutMs: 3000,
  /** A claim stands if no leader or smaller claim answers within this (ms). */
  claimWaitMs: 300,
  /** How often a follower checks for a leader (ms). */
  checkMs: 500,
} as const;

/** Marks the election's own messages on the channel, which never reach `onShared`. */
const ELECTION = 'framewire-election';

type ElectionMessage = { [ELECTION]: 'lead' | 'claim' | 'resign' | 'query'; id: string };

const isElection = (data: unknown): data is ElectionMessage =>
  typeof data === 'object' && data !== null && typeof (data as Record<string, unknown>)[ELECTION] === 'string' && typeof (data as { id?: unknown }).id === 'string';

/**
 * One stream per widget and browser (per host site, where the browser partitions a frame's
 * storage by its top-level site).
 *
 * 1. Every widget frame asks for the Web Lock `framewire:<widgetId>:stream`; the browser
 *    grants it to one, the others wait in line. The browser frees the lock when the holder's
 *    page goes (closed, reloaded, crashed); the next frame in line takes it over.
 * 2. Where the browser has no Web Locks or refuses them — a cross-site frame whose storage
 *    is blocked (third-party storage blocking refuses the lock manager with `SecurityError`)
 *    — the frames elect over the channel instead: the leader says so every second; a frame
 *    that hears no leader for 3 s claims the lead, and a claim stands unless a leader or a
 *    claim with a smaller id answers within 300 ms; of two leaders, the one with the larger
 *    id resigns. A leader leaving says so (`pagehide`), so the next one takes over at once.
 * 3. The leader reads the stream and publishes what it receives on the BroadcastChannel
 *    `framewire:<widgetId>`; the others listen.
 */
export function createLeadership(options: LeadershipOptions): Leadership {
  const { locks, openChannel } = options.environment;
  if (!openChannel) return { supported: false, publish: () => undefined, destroy: () => undefined };
  const stop = new AbortController();
  const channel = openChannel(`framewire:${options.widgetId}`);
  let destroyed = false;
  let electOverChannel: ((data: ElectionMessage) => void) | null = null;
  let resignChannelLead: () => void = () => undefined;

  const listen = (event: MessageEvent): void => {
    if (isElection(event.data)) electOverChannel?.(event.data);
    else options.onShared(event.data);
  };
  channel.addEventListener('message', listen);

  /** The election over the channel (2. above). */
  const startChannelElection = (): void => {
    if (destroyed) return;
    const timings = CHANNEL_ELECTION_TIMINGS;
    const self = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    let leading = false;
    let claiming: ReturnType<typeof setTimeout> | null = null;
    // Asks who leads; with no answer, the first check after `claimWaitMs` claims.
    let leaderSeenAt = Date.now() - timings.leaderTimeoutMs + timings.claimWaitMs;
    const say = (kind: ElectionMessage[typeof ELECTION]): void => channel.postMessage({ [ELECTION]: kind, id: self });
    const lead = (): void => {
      claiming = null;
      if (leading || destroyed) return;
      leading = true;
      say('lead');
      options.onLead();
    };
    const resign = (): void => {
      if (!leading) return;
      leading = false;
      options.onResign?.();
    };
    const heartbeat = setInterval(() => {
      if (leading) say('lead');
      else if (claiming === null && Date.now() - leaderSeenAt > timings.leaderTimeoutMs) {
        say('claim');
        claiming = setTimeout(lead, timings.claimWaitMs);
      }
    }, Math.min(timings.heartbeatMs, timings.checkMs));
    const cancelClaim = (): void => {
      if (claiming !== null) clearTimeout(claiming);
      claiming = null;
    };
    electOverChannel = (message) => {
      if (message.id === self) return;
      switch (message[ELECTION]) {
        case 'lead':
          if (leading && message.id > self) say('lead');
          else {
            if (leading) resign();
            leaderSeenAt = Date.now();
            cancelClaim();
          }
          break;
        case 'claim':
          if (leading) say('lead');
          else if (claiming !== null && message.id < self) {
            cancelClaim();
            leaderSeenAt = Date.now();
          }
          break;
        case 'query':
          if (leading) say('lead');
          break;
        case 'resign':
          // Claim at the next check, after a short random wait so frames rarely claim together.
          leaderSeenAt = Date.now() - timings.leaderTimeoutMs - 1 + Math.random() * timings.checkMs;
          break;
      }
    };
    const leave = (): void => {
      if (leading) say('resign');
    };
    addEventListener('pagehide', leave);
    resignChannelLead = () => {
      clearInterval(heartbeat);
      cancelClaim();
      removeEventListener('pagehide', leave);
      leave();
      leading = false;
    };
    say('query');
  };

  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  if (locks) {
    locks
      .request(`framewire:${options.widgetId}:stream`, { signal: stop.signal }, () => {
        if (stop.signal.aborted) return Promise.resolve();
        options.onLead();
        return held;
      })
      // Aborted while waiting in line: nothing to do. Refused (a blocked cross-site frame): elect over the channel.
      .catch(() => {
        if (!stop.signal.aborted) startChannelElection();
      });
  } else startChannelElection();

  return {
    supported: true,
    publish(message) {
      if (!destroyed) channel.postMessage(message);
    },
    destroy() {
      if (destroyed) return;
      resignChannelLead();
      destroyed = true;
      stop.abort();
      release();
      channel.removeEventListener('message', listen);
      channel.close();
    },
  };
}
