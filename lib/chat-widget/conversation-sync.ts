import { normalizeSettings } from '../util/normalize-options';
import type { ConnectionListener } from './connection-monitor';
import type { StoredValue } from './parent-storage-read';
import type { ChatStorage } from './chat-services';
import { CHAT_STORAGE_KEYS, mergeConversations, parseConversation, serializeConversation } from './conversation';
import type { ChatMessage } from './chat-types';

export interface ConversationSyncOptions {
  storage: ChatStorage;
  /** Announces the host's return (`connected`): the held conversation is read again at once. */
  monitor?: { addListener(listener: ConnectionListener): () => void } | null;
  /** Called with the whole conversation whenever it changes (a read merged, a message added). */
  onChange?: (messages: readonly ChatMessage[]) => void;
  /** Called once, when the host (or, standalone, the store) has answered: other held values can be reconciled. */
  onSynced?: () => void;
  /** First wait before reading the host again while it has not answered, in ms. @default 1000 */
  retryDelayMs?: number;
  /** Longest wait between those reads (the wait doubles up to it), in ms. @default 30000 */
  maxRetryDelayMs?: number;
  /** The conversation's byte budget in host storage. @default WIDGET_STORAGE_BUDGETS.conversation */
  budget?: number;
}

export const DEFAULT_CONVERSATION_SYNC_CONFIG = Object.freeze({
  retryDelayMs: 1000,
  maxRetryDelayMs: 30_000,
});

const KEY = CHAT_STORAGE_KEYS.conversation;

/**
 * The conversation on screen and in storage, never overwriting a stored conversation it has
 * not read.
 *
 * 1. `load()` reads the conversation. An answer from the host (or, standalone, the only
 *    store) is merged with what was typed meanwhile; from then on every change is written.
 * 2. An answer from the fallback (the host is slow, stalled or gone) is shown, merged with
 *    what was typed, but nothing is written to the host: the host may hold messages this
 *    frame has not seen. Changes go to the fallback only.
 * 3. Until the host answers, it is read again: when the monitor reports `connected`, when
 *    the visitor sends a message, and on a timer (`retryDelayMs`, doubling up to
 *    `maxRetryDelayMs`).
 * 4. When it answers, the stored conversation and the held one are merged by message id
 *    (see `mergeConversations`), shown, and written back (the newest that fit the budget).
 */
export class ConversationSync {
  readonly #storage: ChatStorage;
  readonly #onChange: (messages: readonly ChatMessage[]) => void;
  readonly #onSynced: () => void;
  readonly #config: { retryDelayMs: number; maxRetryDelayMs: number };
  readonly #budget: number | undefined;
  readonly #unbind: (() => void)[] = [];
  #messages: readonly ChatMessage[] = [];
  /** The stored conversation has been read from where writes go: writing no longer erases anything unseen. */
  #synced = false;
  #loading: Promise<void> | null = null;
  #reading: Promise<void> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retries = 0;
  #destroyed = false;

  constructor(options: ConversationSyncOptions) {
    this.#storage = options.storage;
    this.#onChange = options.onChange ?? (() => undefined);
    this.#onSynced = options.onSynced ?? (() => undefined);
    this.#config = normalizeSettings<{ retryDelayMs: number; maxRetryDelayMs: number }>(DEFAULT_CONVERSATION_SYNC_CONFIG, options);
    this.#budget = options.budget;
    const monitor = options.monitor;
    if (monitor) {
      this.#unbind.push(
        monitor.addListener((state) => {
          if (state === 'connected' && this.#loading && !this.#synced) void this.#read();
        }),
      );
    }
  }

  /** The conversation as shown: stored and typed messages, merged. */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  /** True once the stored conversation has been read from the host (or the widget runs standalone). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Reads the stored conversation (once; later calls return the same promise). Never rejects. */
  load(): Promise<void> {
    this.#loading ??= this.#read();
    return this.#loading;
  }

  /** Adds messages (the visitor's and the answer) and keeps the conversation where it may go. */
  append(messages: readonly ChatMessage[]): void {
    if (this.#destroyed) return;
    this.#set(mergeConversations(this.#messages, messages));
    this.#persist();
    // A visitor typing is a good moment to try the host again.
    if (this.#loading && !this.#synced) void this.#read();
  }

  /** Stops reading again; the conversation stays as it is. */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    for (const unbind of this.#unbind.splice(0)) unbind();
  }

  #read(): Promise<void> {
    this.#reading ??= this.#readOnce().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  async #readOnce(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const answer = await this.#fetch();
    if (this.#destroyed || this.#synced) return;
    const stored = parseConversation(answer.value);
    const merged = mergeConversations(stored, this.#messages);
    const storedIds = new Set(stored.map((message) => message.id));
    const unseen = merged.some((message) => !storedIds.has(message.id));
    this.#set(merged);
    if (answer.source === 'fallback') {
      if (unseen) this.#persist();
      this.#scheduleRetry();
      return;
    }
    this.#synced = true;
    this.#retries = 0;
    for (const unbind of this.#unbind.splice(0)) unbind();
    // Only what the store lacks is worth a write: a read alone never rewrites the conversation.
    if (unseen) this.#persist();
    this.#onSynced();
  }

  async #fetch(): Promise<StoredValue> {
    const storage = this.#storage;
    try {
      if (storage.read) return await storage.read(KEY);
      // A storage without `read` (a custom one) says nothing about where its answer came from.
      return { value: await storage.getItem(KEY), source: 'host' };
    } catch (error) {
      console.warn('[framewire] Could not read the conversation; trying again later.', error);
      return { value: storage.getItemSync(KEY), source: 'fallback' };
    }
  }

  #scheduleRetry(): void {
    if (this.#destroyed) return;
    const delay = Math.min(this.#config.maxRetryDelayMs, this.#config.retryDelayMs * 2 ** this.#retries);
    this.#retries++;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#read(), delay);
  }

  #set(messages: readonly ChatMessage[]): void {
    this.#messages = messages;
    this.#onChange(messages);
  }

  /** Writes the conversation to the host once read from it; else keeps it in the fallback only. */
  #persist(): void {
    const value = serializeConversation(this.#messages, this.#budget);
    if (!this.#synced) {
      this.#storage.setFallbackItem?.(KEY, value);
      return;
    }
    Promise.resolve(this.#storage.setItem(KEY, value)).catch((error: unknown) => console.warn('[framewire] Could not save', KEY, error));
  }
}
