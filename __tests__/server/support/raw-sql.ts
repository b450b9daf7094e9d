import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../../server';

/**
 * One SQL statement straight on a test database, for what no API reaches yet (a widget's
 * webhook URL) or to look at tables the API does not show (webhook deliveries).
 * Placeholders: `?` on SQLite, `$n` on PostgreSQL; write statements that hold none of either
 * or pass `params` in the engine's style.
 */
export async function rawSql(databaseUrl: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === 'postgres') {
    const client = new pg.Client({ connectionString: target.connectionString });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(target.filename);
  try {
    const statement = db.prepare(sql);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}
