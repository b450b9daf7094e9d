import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../../server';
import { DAY_MS } from '../../../server/analytics/days';
import { SESSION_GAP_MS } from '../../../server/analytics/sessionize';
import type { ReferenceSession } from './analytics-rows';

/** A message as the conversation tables hold it. */
export interface MessageSpec {
  author: 'visitor' | 'agent' | 'bot';
  createdAt: number;
}

/** A conversation and its messages, oldest first; the derived columns are computed by {@link conversationRow}. */
export interface ConversationSpec {
  id: string;
  widgetId: string;
  anonymousId: string;
  userId: string | null;
  createdAt: number;
  messages: MessageSpec[];
}

/** The derived columns, as the conversation store keeps them: last activity, first visitor message, first reply after it. */
export function conversationRow(spec: ConversationSpec) {
  const sorted = [...spec.messages].sort((a, b) => a.createdAt - b.createdAt);
  const firstVisitor = sorted.find((m) => m.author === 'visitor')?.createdAt ?? null;
  const firstReply = firstVisitor === null ? null : (sorted.find((m) => m.author !== 'visitor' && m.createdAt >= firstVisitor)?.createdAt ?? null);
  return {
    sorted,
    lastActivityAt: Math.max(spec.createdAt, ...sorted.map((m) => m.createdAt)),
    firstVisitorAt: firstVisitor,
    firstReplyAt: firstReply,
  };
}

/** Raw SQL on a store's database, beside the store: how these tests put conversations in without the conversation routes. */
export interface RawDatabase {
  run(sql: string, params: readonly unknown[]): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function openRawDatabase(databaseUrl: string): Promise<RawDatabase> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === 'sqlite') {
    const db = new Database(target.filename);
    db.pragma('busy_timeout = 5000');
    return {
      run: async (sql, params) => void db.prepare(sql).run(...params),
      count: async (table) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  const numbered = (sql: string): string => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    run: async (sql, params) => void (await client.query(numbered(sql), params as unknown[])),
    count: async (table) => Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]?.n ?? 0),
    close: () => client.end(),
  };
}

/** Inserts the conversations, their messages and (for each visitor message) a webhook delivery. */
export async function insertConversations(db: RawDatabase, specs: readonly ConversationSpec[]): Promise<void> {
  for (const spec of specs) {
    const { sorted, lastActivityAt, firstVisitorAt, firstReplyAt } = conversationRow(spec);
    await db.run(
      `INSERT INTO conversations (id, widget_id, anonymous_id, user_id, status, secret_hash, created_at, last_activity_at, last_seq, first_visitor_at, first_reply_at)
       VALUES (?, ?, ?, ?, 'open', 'x', ?, ?, ?, ?, ?)`,
      [spec.id, spec.widgetId, spec.anonymousId, spec.userId, spec.createdAt, lastActivityAt, sorted.length, firstVisitorAt, firstReplyAt],
    );
    for (const [i, message] of sorted.entries()) {
      await db.run('INSERT INTO conversation_messages (conversation_id, seq, id, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        spec.id,
        i + 1,
        `${spec.id}-m${i + 1}`,
        message.author,
        `text ${i + 1}`,
        message.createdAt,
      ]);
      if (message.author === 'visitor') {
        await db.run('INSERT INTO webhook_deliveries (conversation_id, message_id, widget_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [
          spec.id,
          `${spec.id}-m${i + 1}`,
          spec.widgetId,
          message.createdAt,
          message.createdAt,
        ]);
      }
    }
  }
}

/** The nearest-rank percentile of `values`, the obvious way; null for none. */
export function nearestRank(values: readonly number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percentile / 100) * sorted.length)) - 1] ?? null;
}

/**
 * The summary's conversation figures of one widget over whole UTC days `first`..`last`,
 * computed the slow, obvious way from the reference sessions and the conversations.
 */
export function referenceConversationFigures(sessions: readonly ReferenceSession[], specs: readonly ConversationSpec[], days: { first: number; last: number }) {
  const start = days.first * DAY_MS;
  const end = (days.last + 1) * DAY_MS;
  const inRange = (ts: number) => ts >= start && ts < end;
  const rangeSessions = sessions.filter((s) => inRange(s.firstTs));
  const withConversation = rangeSessions.filter((s) =>
    specs.some((c) => c.anonymousId === s.visitorId && c.messages.some((m) => m.createdAt >= s.firstTs && m.createdAt < s.lastTs + SESSION_GAP_MS)),
  ).length;
  const messages = specs.flatMap((c) => c.messages).filter((m) => inRange(m.createdAt));
  const visitor = messages.filter((m) => m.author === 'visitor').length;
  const replies = messages.length - visitor;
  const durations = specs
    .filter((c) => inRange(c.createdAt))
    .map(conversationRow)
    .flatMap((row) => (row.firstVisitorAt !== null && row.firstReplyAt !== null ? [row.firstReplyAt - row.firstVisitorAt] : []));
  const per = (n: number) => (rangeSessions.length > 0 ? n / rangeSessions.length : 0);
  return {
    conversations: specs.filter((c) => inRange(c.createdAt)).length,
    sessionsWithConversationRate: per(withConversation),
    messagesSentPerSession: per(visitor),
    messagesReceivedPerSession: per(replies),
    firstResponseMedianMs: nearestRank(durations, 50),
    firstResponseP90Ms: nearestRank(durations, 90),
  };
}
