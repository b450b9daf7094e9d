import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../../server';

/** Direct SQL on a test database, beside the store (rows the conversation store would write). */
export interface RawDatabase {
  run(sql: string, ...params: unknown[]): Promise<void>;
  all(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a second connection to the database behind `databaseUrl` (`?` placeholders on both engines). */
export async function openRawDatabase(databaseUrl: string): Promise<RawDatabase> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === 'sqlite') {
    const db = new Database(target.filename);
    db.pragma('busy_timeout = 5000');
    return {
      run: async (sql, ...params) => void db.prepare(sql).run(...params),
      all: async (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    run: async (sql, ...params) => void (await client.query(numbered(sql), params)),
    all: async (sql, ...params) => (await client.query(numbered(sql), params)).rows as Record<string, unknown>[],
    close: () => client.end(),
  };
}

/** One visitor message waiting in the outbox. */
export interface OutboxRow {
  widgetId: string;
  conversationId: string;
  messageId: string;
  seq?: number;
  text?: string;
  /** When the message (and its delivery row) was written. */
  at: number;
}

/**
 * Writes what the conversation store writes for a visitor message of a widget with a webhook:
 * the conversation (once), the message, and its delivery row, due at once.
 */
export async function insertVisitorMessage(db: RawDatabase, row: OutboxRow): Promise<void> {
  const seq = row.seq ?? 1;
  if (seq === 1) {
    await db.run(
      `INSERT INTO conversations (id, widget_id, anonymous_id, user_id, status, secret_hash, created_at, last_activity_at, last_seq, first_visitor_at)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?, 0, ?)`,
      row.conversationId,
      row.widgetId,
      'anon-1',
      null,
      'f'.repeat(64),
      row.at,
      row.at,
      row.at,
    );
  }
  await db.run(`UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE id = ?`, seq, row.at, row.conversationId);
  await db.run(
    `INSERT INTO conversation_messages (conversation_id, seq, id, author, text, created_at) VALUES (?, ?, ?, 'visitor', ?, ?)`,
    row.conversationId,
    seq,
    row.messageId,
    row.text ?? 'What are your opening hours?',
    row.at,
  );
  await db.run(
    `INSERT INTO webhook_deliveries (conversation_id, message_id, widget_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)`,
    row.conversationId,
    row.messageId,
    row.widgetId,
    row.at,
    row.at,
  );
}

/** The delivery row of a message, numbers as numbers. */
export async function deliveryRow(db: RawDatabase, messageId: string) {
  const [found] = await db.all(
    `SELECT attempts, next_attempt_at, claimed_by, claimed_until, delivered_at, last_error FROM webhook_deliveries WHERE message_id = ?`,
    messageId,
  );
  if (found === undefined) throw new Error(`no delivery row for ${messageId}`);
  const num = (value: unknown) => (value === null ? null : Number(value));
  return {
    attempts: Number(found.attempts),
    nextAttemptAt: Number(found.next_attempt_at),
    claimedBy: found.claimed_by as string | null,
    claimedUntil: num(found.claimed_until),
    deliveredAt: num(found.delivered_at),
    lastError: found.last_error as string | null,
  };
}

/** A request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP endpoint standing in for a bot. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Statuses to answer, in order; once used up, 200. */
  answers: number[];
  /** While set, requests wait for it before they are answered. */
  hold: Promise<void> | null;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    answers: [],
    hold: null,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = () => {
        response.statusCode = receiver.answers.shift() ?? 200;
        response.end('ok');
      };
      if (receiver.hold === null) answer();
      else void receiver.hold.then(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
  return receiver;
}
