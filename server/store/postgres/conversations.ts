import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ConversationListener, ConversationStore, RemoteChange } from '../../conversations/types';
import {
  conversationAccessWork,
  getConversationWork,
  listConversationsWork,
  markReadWork,
  postMessageWork,
  readMessagesWork,
  setConversationStatusWork,
  startConversationWork,
} from '../conversation-work';
import { rows, runAsync } from '../sql-runner';
import type { Statement, StatementResult, Work } from '../sql-runner';

/** The channel collectors sharing a database tell each other of conversation changes on. */
export const CONVERSATION_CHANNEL = 'framewire_conversations';

/** Reconnect delays of the listening connection: 0.5 s doubling up to 30 s. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** Runs statements inside one transaction on one pooled client (BEGIN … COMMIT, rolled back on failure). */
export type Transact = <T>(work: (execute: (statement: Statement) => Promise<StatementResult>) => Promise<T>) => Promise<T>;

/** What the PostgreSQL conversation store needs from its store. */
export interface PostgresConversationDeps {
  transact: Transact;
  /** Autocommit on the pool. */
  execute: (statement: Statement) => Promise<StatementResult>;
  /** Maps errors as the store does. */
  guard: <T>(work: () => Promise<T>) => Promise<T>;
  /** For the dedicated listening connection. */
  connectionString: string;
  connectionTimeoutMs: number;
}

/** A compact notification: who sent it (to skip one's own), the change. At most ~200 bytes (the limit is 8000). */
type Notice =
  | { o: string; t: 'm'; w: string; c: string; s: number; r: boolean }
  | { o: string; t: 's'; w: string; c: string; st: 'open' | 'closed' };

const notify = (notice: Notice): Statement => rows('SELECT pg_notify(?, ?)', CONVERSATION_CHANNEL, JSON.stringify(notice));

/**
 * Conversations on PostgreSQL. A post runs in one transaction on one client: the work of
 * `conversation-work.ts`, then a `NOTIFY` of the change, then COMMIT; PostgreSQL delivers a
 * notification only once its transaction commits, and in commit order, so another collector
 * hears of a message exactly when it can read it.
 */
export function createPostgresConversationStore(deps: PostgresConversationDeps): ConversationStore {
  const { guard, transact } = deps;
  const instance = randomUUID();
  const autocommit = <T>(work: () => Work<T>): Promise<T> => guard(() => runAsync(work(), deps.execute));
  const inTransaction = <T>(work: () => Work<T>, after?: (result: T) => Notice[]): Promise<T> =>
    guard(() =>
      transact(async (execute) => {
        const result = await runAsync(work(), execute);
        for (const notice of after?.(result) ?? []) await execute(notify(notice));
        return result;
      }),
    );

  return {
    startConversation: (start) => inTransaction(() => startConversationWork(start)),
    conversationAccess: (id) => autocommit(() => conversationAccessWork(id)),
    getConversation: (id) => autocommit(() => getConversationWork(id)),
    postMessage: (message) =>
      inTransaction(
        () => postMessageWork(message),
        (outcome) =>
          outcome.outcome === 'created'
            ? [{ o: instance, t: 'm', w: outcome.widgetId, c: message.conversationId, s: outcome.message.seq, r: outcome.reopened }]
            : [],
      ),
    // Two reads in autocommit: a status a moment older than the page is harmless, a transaction's two extra round trips are not.
    readMessages: (query) => autocommit(() => readMessagesWork(query)),
    listConversations: (query) => autocommit(() => listConversationsWork(query)),
    markRead: (id, widgetId, seq) => autocommit(() => markReadWork(id, widgetId, seq)),
    setConversationStatus: (change) =>
      inTransaction(
        () => setConversationStatusWork(change),
        (outcome) => (outcome?.changed === true ? [{ o: instance, t: 's', w: change.widgetId, c: change.conversationId, st: change.status }] : []),
      ),
    listenConversations: (onChange, onError) => listen(deps, instance, onChange, onError),
  };
}

const changesOf = (notice: Notice): RemoteChange[] => {
  if (notice.t === 's') return [{ type: 'status', widgetId: notice.w, conversationId: notice.c, status: notice.st }];
  const message: RemoteChange = { type: 'message', widgetId: notice.w, conversationId: notice.c, seq: notice.s };
  return notice.r ? [{ type: 'status', widgetId: notice.w, conversationId: notice.c, status: 'open' }, message] : [message];
};

/**
 * One dedicated connection per collector that `LISTEN`s on {@link CONVERSATION_CHANNEL}.
 *
 * 1. Connects (with the store's connection deadline, TCP keep-alive on) and listens.
 * 2. Each notification from another collector becomes {@link RemoteChange}s; its own are skipped
 *    (this process told its streams already).
 * 3. A failed or lost connection is reported, then reconnected after 0.5 s, doubling to 30 s;
 *    after a reconnect a `resync` tells streams to read what they may have missed.
 * 4. `close()` stops reconnecting and ends the connection.
 */
function listen(deps: PostgresConversationDeps, instance: string, onChange: (change: RemoteChange) => void, onError: (error: Error) => void): ConversationListener {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = RECONNECT_MIN_MS;
  let connectedBefore = false;

  const schedule = (): void => {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(RECONNECT_MAX_MS, delay * 2);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: deps.connectionString, connectionTimeoutMillis: deps.connectionTimeoutMs, keepAlive: true });
    client = next;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      if (client === next) client = null;
      void next.end().catch(() => undefined);
      if (!closed) {
        onError(error);
        schedule();
      }
    };
    next.on('error', fail);
    next.on('end', () => fail(new Error('the listening connection ended')));
    next.on('notification', (message) => {
      if (message.channel !== CONVERSATION_CHANNEL || message.payload === undefined) return;
      let notice: Notice;
      try {
        notice = JSON.parse(message.payload) as Notice;
      } catch {
        return;
      }
      if (notice.o === instance) return;
      for (const change of changesOf(notice)) onChange(change);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CONVERSATION_CHANNEL}`);
    } catch (error) {
      fail(error as Error);
      return;
    }
    if (closed) {
      failed = true;
      await next.end().catch(() => undefined);
      return;
    }
    delay = RECONNECT_MIN_MS;
    if (connectedBefore) onChange({ type: 'resync' });
    connectedBefore = true;
  };

  void connect();
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
