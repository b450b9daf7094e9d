import { MAX_UNREAD } from '../../protocol/message-tables';
import type { ChatMessage } from '../chat-types';

export interface UnreadCounterOptions {
  /** Tells the host (`setUnread`); called only when the count changes. */
  report(count: number): void;
}

/**
 * Replies (an agent's or a bot's) that reached the thread while the visitor could not see it.
 * 1. The first `note` is the baseline: what the thread held when it loaded counts as read.
 * 2. Every later reply not seen before counts while the panel is not seen (`setSeen(false)`).
 * 3. `setSeen(true)` sets the count to 0. The host gets each new count (at most `MAX_UNREAD`).
 */
export class UnreadCounter {
  readonly #report: (count: number) => void;
  readonly #known = new Set<string>();
  #baseline = false;
  #seen = true;
  #count = 0;

  constructor(options: UnreadCounterOptions) {
    this.#report = options.report;
  }

  get count(): number {
    return this.#count;
  }

  /** The thread as it is now. */
  note(messages: readonly ChatMessage[]): void {
    let added = 0;
    for (const message of messages) {
      if (message.role === 'visitor' || this.#known.has(message.id)) continue;
      this.#known.add(message.id);
      added++;
    }
    if (!this.#baseline) {
      this.#baseline = true;
      return;
    }
    if (added > 0 && !this.#seen) this.#set(Math.min(MAX_UNREAD, this.#count + added));
  }

  /** Whether the visitor can see the thread now (the panel open and shown). */
  setSeen(seen: boolean): void {
    this.#seen = seen;
    if (seen) this.#set(0);
  }

  #set(count: number): void {
    if (count === this.#count) return;
    this.#count = count;
    this.#report(count);
  }
}
