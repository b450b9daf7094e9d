import { MessageTextSchema } from '../../protocol/conversations';
import type { ConversationMessage, ConversationStatus } from '../../protocol/conversations';
import { CONVERSATION_OUTBOX_KEY, CONVERSATION_SESSION_KEY } from '../../protocol/limits';
import { uuidv7 } from '../../util/ids';
import { createLogger } from '../../util/logger';
import type { Logger } from '../../util/logger';
import { normalizeSettings } from '../../util/normalize-options';
import type { OptionsOf } from '../../util/normalize-options';
import { abortableDelay } from '../retry';
import type { ChatStorage } from '../chat-services';
import { parseMessage, parseStatus } from './answers';
import { createConversationApi } from './api';
import type { ApiResult, ConversationApi } from './api';
import { backoffMs, DEFAULT_CONVERSATION_CLIENT_CONFIG } from './config';
import type { ConversationClientConfig } from './config';
import { SeqCursor } from './cursor';
import { browserSharing, createLeadership } from './leader';
import type { Leadership, SharingEnvironment } from './leader';
import { browserOnline, whenOnline } from './online';
import type { OnlineSource } from './online';
import { parseOutbox, serializeOutbox } from './outbox-store';
import type { OutgoingMessage } from './outbox-store';
import { startReceiver } from './receiver';
import type { ReceiveMode } from './receiver';
import { parseSession, saveSession } from './session-store';
import type { ConversationSession } from './session-store';

/** The outbox as the thread shows it. */
export interface OutboxSnapshot {
  messages: readonly OutgoingMessage[];
  /** The last message was refused: the outbox is at its byte budget ("too many unsent messages"). */
  full: boolean;
}

export interface ConversationClientOptions extends OptionsOf<ConversationClientConfig> {
  collectorUrl: string;
  widgetId: string;
  storage: ChatStorage;
  /** The visitor's id (the widget's session id), needed to start a conversation; `null` until known. */
  anonymousId: () => string | null;
  /** Messages from the collector: the visitor's as stored, agents' and bots' replies. */
  onMessages(messages: ConversationMessage[]): void;
  onOutbox?(snapshot: OutboxSnapshot): void;
  onStatus?(status: ConversationStatus): void;
  fetch?: typeof fetch;
  online?: OnlineSource;
  sharing?: SharingEnvironment;
  now?: () => number;
}

/** What `send` did with a message. */
export type SendOutcome = 'queued' | 'full' | 'invalid';

/** Start attempts whose id was taken (409) before giving up for now. */
const MAX_ID_CONFLICTS = 3;

/** A session, or why there is none: try again (counts as a failed try), refused for good, or the visitor's id is not known yet (does not count). */
type SessionOutcome = ConversationSession | 'retry' | 'refused' | 'no-visitor-id';

/**
 * The widget's conversation with the collector (docs/WIDGET.md, "The conversation").
 *
 * 1. `start()` reads the stored session (`conversation_session`) and outbox
 *    (`conversation_outbox`) from the host's storage, resends what the outbox holds (same
 *    ids: the collector dedupes) and starts reading replies.
 * 2. `send(text)` writes the message to the outbox at once (refused, `full`, past its byte
 *    budget), then sends it; the first message starts the conversation
 *    (`POST /api/conversations`, a new id after a 409).
 * 3. A message leaves the outbox when the collector takes it (201/200); after
 *    `maxSendAttempts` network errors, 408, 429 or 5xx, or at once on another 4xx, it stays
 *    as `failed` until `retry(id)`. Nothing is sent while `navigator.onLine` is false.
 * 4. Replies: the frame holding the widget's Web Lock reads the stream and shares what comes
 *    over a BroadcastChannel; without them, each frame long-polls.
 */
/** Pages of the thread read at most when a frame starts (`CONVERSATION_LIMITS.messagesPerPage` each). */
const MAX_THREAD_PAGES = 10;

export class ConversationClient {
  readonly #options: ConversationClientOptions;
  readonly #config: ConversationClientConfig;
  readonly #api: ConversationApi;
  readonly #online: OnlineSource;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #stop = new AbortController();
  readonly #attempts = new Map<string, number>();
  #outbox: OutgoingMessage[] = [];
  #full = false;
  #session: ConversationSession | null = null;
  #cursor = new SeqCursor();
  #leadership: Leadership | null = null;
  #leading = false;
  /** The conversation whose whole thread this frame has read (see `#readThread`). */
  #threadRead: string | null = null;
  /** Seqs of the current conversation this client has handed to `onMessages`: each message once, whichever path brought it. */
  readonly #handed = new Set<number>();
  #stopReceiving: (() => void) | null = null;
  #mode: ReceiveMode = 'stream';
  #pumping = false;
  /** The host's stored outbox has been read: writing it no longer erases what it held. */
  #hostRead = false;
  #started = false;
  #destroyed = false;

  constructor(options: ConversationClientOptions) {
    this.#options = options;
    this.#config = normalizeSettings(DEFAULT_CONVERSATION_CLIENT_CONFIG, options);
    this.#online = options.online ?? browserOnline();
    this.#now = options.now ?? (() => Date.now());
    this.#log = createLogger('ConversationClient', this.#config.debug);
    this.#api = createConversationApi({
      collectorUrl: options.collectorUrl,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      requestTimeoutMs: this.#config.requestTimeoutMs,
    });
  }

  /** The conversation's id, once started. */
  get conversationId(): string | null {
    return this.#session?.conversationId ?? null;
  }

  /** Every message up to this seq has been received. */
  get cursor(): number {
    return this.#cursor.value;
  }

  /** How this frame reads replies: `stream`, `poll`, `follower` (another frame reads them), or `idle` (no conversation yet). */
  get receiving(): ReceiveMode | 'follower' | 'idle' {
    if (this.#stopReceiving) return this.#mode;
    return this.#leadership?.supported && !this.#leading && this.#session ? 'follower' : 'idle';
  }

  outbox(): OutboxSnapshot {
    return { messages: this.#outbox, full: this.#full };
  }

  /** Reads what the host keeps, resends the outbox and starts reading replies. Once. */
  async start(): Promise<void> {
    if (this.#started || this.#destroyed) return;
    this.#started = true;
    const hostAnswered = await this.#readStored();
    if (this.#destroyed) return;
    if (!hostAnswered) this.#readAgainLater(0);
    this.#leadership = createLeadership({
      widgetId: this.#options.widgetId,
      environment: this.#options.sharing ?? browserSharing(),
      onLead: () => {
        this.#leading = true;
        this.#log('This frame reads the replies.');
        this.#receive();
      },
      onResign: () => {
        this.#leading = false;
        this.#log('Another frame reads the replies now.');
        this.#stopReceiving?.();
        this.#stopReceiving = null;
      },
      onShared: (message) => this.#onShared(message),
    });
    if (!this.#leadership.supported) this.#mode = 'poll';
    this.#receive();
    void this.#pump();
  }

  /**
   * Reads the stored session and outbox and merges them in: the outbox by message id (what
   * was typed meanwhile stays after what was stored), the session if none is in use. Says
   * whether the host answered (not the adapter's fallback, when the host is slow at load).
   */
  async #readStored(): Promise<boolean> {
    const { storage } = this.#options;
    const read = (key: string) => (storage.read ? storage.read(key) : storage.getItem(key).then((value) => ({ value, source: 'host' as const })));
    const [session, outbox] = await Promise.all([read(CONVERSATION_SESSION_KEY), read(CONVERSATION_OUTBOX_KEY)]).catch(() => [null, null] as const);
    if (this.#destroyed || !session || !outbox) return false;
    const stored = parseSession(session.value);
    if (stored && !this.#session) {
      this.#session = stored;
      this.#cursor = new SeqCursor(stored.cursor);
    }
    const answered = session.source !== 'fallback' && outbox.source !== 'fallback';
    const known = new Set(this.#outbox.map((message) => message.id));
    const fromStore = parseOutbox(outbox.value).filter((message) => !known.has(message.id));
    this.#outbox = [...fromStore, ...this.#outbox];
    const firstAnswer = answered && !this.#hostRead;
    if (answered) this.#hostRead = true;
    // What was typed before the host answered was kept in the fallback only: now it goes to the host.
    if (firstAnswer && known.size > 0) this.#saveOutbox();
    else if (fromStore.length > 0) this.#emitOutbox();
    return answered;
  }

  /** The host did not answer at load: read again (1 s doubling to 30 s) until it does, then resend and resume. */
  #readAgainLater(attempt: number): void {
    void abortableDelay(backoffMs(this.#config, attempt), this.#stop.signal).then(async (waited) => {
      if (!waited || this.#destroyed) return;
      const answered = await this.#readStored();
      if (this.#destroyed) return;
      this.#receive();
      void this.#pump();
      if (!answered) this.#readAgainLater(attempt + 1);
    });
  }

  /** Queues a message (written to the host at once) and sends it. */
  send(text: string): SendOutcome {
    if (this.#destroyed || !MessageTextSchema.safeParse(text).success) return 'invalid';
    const now = this.#now();
    const message: OutgoingMessage = { id: uuidv7(now), text, at: now, state: 'sending' };
    if (serializeOutbox([...this.#outbox, message]) === null) {
      this.#full = true;
      this.#emitOutbox();
      return 'full';
    }
    this.#outbox = [...this.#outbox, message];
    this.#full = false;
    this.#saveOutbox();
    if (this.#started) void this.#pump();
    return 'queued';
  }

  /** Sends a `failed` message again, from its first try. */
  retry(id: string): void {
    if (this.#destroyed) return;
    this.#outbox = this.#outbox.map((message) => (message.id === id && message.state === 'failed' ? { ...message, state: 'sending' } : message));
    this.#attempts.delete(id);
    this.#saveOutbox();
    void this.#pump();
  }

  /** Stops sending and reading; what waits stays in the host's storage for the next page. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#stop.abort();
    this.#stopReceiving?.();
    this.#stopReceiving = null;
    this.#leadership?.destroy();
  }

  #emitOutbox(): void {
    this.#options.onOutbox?.(this.outbox());
  }

  /**
   * Written through at once: a message must be in the host before it is sent. Until the
   * host's stored outbox has been read (a host slow at load), only into the fallback: a write
   * would replace messages the host holds from an earlier page.
   */
  #saveOutbox(): void {
    const { storage } = this.#options;
    const value = serializeOutbox(this.#outbox);
    if (value !== null && !this.#hostRead && storage.setFallbackItem) {
      storage.setFallbackItem(CONVERSATION_OUTBOX_KEY, value);
    } else if (value !== null) {
      if (this.#outbox.length === 0) Promise.resolve(storage.removeItem(CONVERSATION_OUTBOX_KEY)).catch(() => undefined);
      else Promise.resolve(storage.setItem(CONVERSATION_OUTBOX_KEY, value)).catch((error: unknown) => this.#log('Could not save the outbox.', error));
      storage.flush?.();
    }
    this.#emitOutbox();
  }

  #setState(id: string, state: OutgoingMessage['state'] | 'sent'): void {
    this.#outbox = state === 'sent' ? this.#outbox.filter((message) => message.id !== id) : this.#outbox.map((message) => (message.id === id ? { ...message, state } : message));
    this.#saveOutbox();
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#destroyed) return;
    this.#pumping = true;
    const signal = this.#stop.signal;
    try {
      for (;;) {
        const next = this.#outbox.find((message) => message.state === 'sending');
        if (!next || signal.aborted) return;
        await whenOnline(this.#online, signal);
        if (signal.aborted) return;
        const session = await this.#ensureSession(signal);
        if (signal.aborted) return;
        if (session === 'refused') {
          this.#setState(next.id, 'failed');
          continue;
        }
        if (session === 'no-visitor-id') {
          // The host has not given the visitor's id yet: wait for it without using up tries.
          await abortableDelay(this.#config.retryDelayMs, signal);
          continue;
        }
        const result: ApiResult<ConversationMessage> | null = session === 'retry' ? null : await this.#api.post(session.conversationId, session.secret, { id: next.id, text: next.text }, signal);
        if (signal.aborted) return;
        if (result?.kind === 'ok') {
          this.#attempts.delete(next.id);
          this.#setState(next.id, 'sent');
          this.#received([result.value]);
          continue;
        }
        if (result?.kind === 'status' && result.status === 404 && session !== 'retry') {
          // The collector no longer knows it (or the secret): start a new one and send again.
          this.#loseSession(session.conversationId);
          continue;
        }
        if (result?.kind === 'status' && result.status >= 400 && result.status < 500 && result.status !== 408 && result.status !== 429) {
          this.#log(`Message ${next.id} refused: ${result.status}.`);
          this.#setState(next.id, 'failed');
          continue;
        }
        const attempts = (this.#attempts.get(next.id) ?? 0) + 1;
        this.#attempts.set(next.id, attempts);
        if (attempts >= this.#config.maxSendAttempts) {
          this.#attempts.delete(next.id);
          this.#setState(next.id, 'failed');
          continue;
        }
        await abortableDelay(backoffMs(this.#config, attempts - 1), signal);
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #ensureSession(signal: AbortSignal): Promise<SessionOutcome> {
    if (this.#session) return this.#session;
    const anonymousId = this.#options.anonymousId();
    if (anonymousId === null) return 'no-visitor-id';
    for (let conflicts = 0; conflicts < MAX_ID_CONFLICTS; conflicts++) {
      const id = uuidv7(this.#now());
      const result = await this.#api.start({ id, widgetId: this.#options.widgetId, anonymousId }, signal);
      if (result.kind === 'ok') {
        // Another frame may have started one meanwhile; the first one known wins here.
        if (this.#session) return this.#session;
        this.#adoptSession({ conversationId: result.value.conversationId, secret: result.value.secret, cursor: 0 });
        this.#leadership?.publish({ type: 'session', session: this.#session });
        return this.#session ?? 'retry';
      }
      if (result.kind === 'status' && result.status === 409) continue;
      if (result.kind === 'status' && result.status >= 400 && result.status < 500 && result.status !== 408 && result.status !== 429) return 'refused';
      return 'retry';
    }
    return 'retry';
  }

  #adoptSession(session: ConversationSession): void {
    const changed = this.#session?.conversationId !== session.conversationId;
    this.#session = session;
    if (changed) {
      this.#cursor = new SeqCursor(session.cursor);
      // Seqs count per conversation: a new one starts at 1 again.
      this.#handed.clear();
      this.#stopReceiving?.();
      this.#stopReceiving = null;
    } else {
      this.#cursor.advanceTo(session.cursor);
    }
    saveSession(this.#options.storage, { ...session, cursor: this.#cursor.value });
    this.#receive();
  }

  #loseSession(conversationId: string): void {
    if (this.#session?.conversationId !== conversationId) return;
    this.#log('The collector does not know the conversation any more; a new one starts with the next message.');
    this.#session = null;
    this.#stopReceiving?.();
    this.#stopReceiving = null;
    saveSession(this.#options.storage, null);
  }

  /** Reads replies when this frame should: it holds the lock, or no frame can (no Web Locks). */
  #receive(): void {
    const session = this.#session;
    if (!session || this.#stopReceiving || this.#destroyed || !this.#leadership) return;
    this.#readThread(session);
    if (this.#leadership.supported && !this.#leading) return;
    this.#stopReceiving = startReceiver({
      api: this.#api,
      conversationId: session.conversationId,
      secret: session.secret,
      cursor: () => this.#cursor.value,
      onMessages: (messages) => {
        this.#received(messages);
        this.#leadership?.publish({ type: 'messages', conversationId: session.conversationId, messages });
      },
      onStatus: (status) => {
        this.#options.onStatus?.(status);
        this.#leadership?.publish({ type: 'status', conversationId: session.conversationId, status });
      },
      onLost: () => {
        this.#stopReceiving = null;
        this.#loseSession(session.conversationId);
      },
      config: this.#config,
      online: this.#online,
      log: this.#log,
      mode: this.#mode,
      onMode: (mode) => {
        this.#mode = mode;
      },
    });
  }

  /** Messages from the collector (any path): shown, and the cursor moved (and kept) over them. */
  /**
   * Reads the whole thread from the collector once per conversation and page view, and hands
   * it on (the thread merges by id): the cursor a frame starts from is the one the last
   * leader stored, which says what that frame received, not what this one shows. A few
   * pages at most; a failure leaves what is shown (the stream and the channel go on).
   */
  #readThread(session: ConversationSession): void {
    if (this.#threadRead === session.conversationId) return;
    this.#threadRead = session.conversationId;
    const signal = this.#stop.signal;
    void (async () => {
      let after = 0;
      for (let page = 0; page < MAX_THREAD_PAGES && !signal.aborted; page++) {
        const result = await this.#api.page(session.conversationId, session.secret, after, 0, signal).catch(() => null);
        if (result?.kind !== 'ok' || this.#session?.conversationId !== session.conversationId) return;
        const own = result.value.messages.filter((message) => message.conversationId === session.conversationId && !this.#handed.has(message.seq));
        for (const message of own) {
          this.#cursor.add(message.seq);
          this.#handed.add(message.seq);
        }
        if (own.length > 0) this.#options.onMessages(own);
        if (!result.value.more) return;
        after = result.value.next;
      }
    })();
  }

  #received(messages: ConversationMessage[]): void {
    const session = this.#session;
    // Each message once: a resume, the POST's answer and the stream may all bring the same one.
    const own = session
      ? messages.filter((message) => message.conversationId === session.conversationId && !this.#cursor.has(message.seq) && !this.#handed.has(message.seq))
      : [];
    if (own.length === 0) return;
    let moved = false;
    for (const message of own) {
      moved = this.#cursor.add(message.seq) || moved;
      this.#handed.add(message.seq);
    }
    this.#options.onMessages(own);
    if (moved && session && (this.#leading || !this.#leadership?.supported)) {
      const value = JSON.stringify({ ...session, cursor: this.#cursor.value });
      Promise.resolve(this.#options.storage.setItem(CONVERSATION_SESSION_KEY, value)).catch(() => undefined);
    }
  }

  /** What another frame of the widget published: checked, then taken as if received here. */
  #onShared(data: unknown): void {
    if (this.#destroyed || typeof data !== 'object' || data === null) return;
    const shared = data as { type?: unknown; session?: unknown; conversationId?: unknown; messages?: unknown; status?: unknown };
    if (shared.type === 'session') {
      const session = parseSession(JSON.stringify(shared.session ?? null));
      if (session && session.conversationId !== this.#session?.conversationId) this.#adoptSession(session);
      return;
    }
    if (shared.conversationId !== this.#session?.conversationId) return;
    if (shared.type === 'messages' && Array.isArray(shared.messages)) {
      const messages = shared.messages.map(parseMessage).filter((message): message is ConversationMessage => message !== null);
      this.#received(messages);
    } else if (shared.type === 'status') {
      const status = parseStatus({ status: shared.status });
      if (status) this.#options.onStatus?.(status);
    }
  }
}
