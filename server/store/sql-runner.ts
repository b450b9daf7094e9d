/** One SQL statement with `?` placeholders (turned into `$n` for PostgreSQL). */
export interface Statement {
  sql: string;
  params: readonly unknown[];
  /** `rows`: the caller wants the rows back; `count`: only how many rows it changed. */
  want: 'rows' | 'count';
}

/** What a statement gave back. */
export interface StatementResult {
  rows: Record<string, unknown>[];
  count: number;
}

/** `n` placeholders for a `VALUES (…)` or `IN (…)` list: `?, ?, ?`. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Shorthands for building {@link Statement}s. */
export const rows = (sql: string, ...params: unknown[]): Statement => ({ sql, params, want: 'rows' });
export const exec = (sql: string, ...params: unknown[]): Statement => ({ sql, params, want: 'count' });


/**
 * A unit of database work written once for both engines: a generator that yields statements
 * and receives their results. SQLite runs it synchronously inside its transaction, PostgreSQL
 * asynchronously on one client.
 */
export type Work<T> = Generator<Statement, T, StatementResult>;

/** Runs {@link Work} with a synchronous executor (SQLite). */
export function runSync<T>(work: Work<T>, execute: (statement: Statement) => StatementResult): T {
  let step = work.next();
  while (!step.done) step = work.next(execute(step.value));
  return step.value;
}

/** Runs {@link Work} with an asynchronous executor (PostgreSQL). */
export async function runAsync<T>(work: Work<T>, execute: (statement: Statement) => Promise<StatementResult>): Promise<T> {
  let step = work.next();
  while (!step.done) step = work.next(await execute(step.value));
  return step.value;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements hold no `?` in literals). */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A statement with its values written in as SQL literals, for a multi-statement text:
 * strings through the driver's `escapeLiteral`, numbers as written, null as NULL.
 * @throws TypeError for any other value (the analytics statements bind nothing else).
 */
export function inlineParams(statement: Statement, escapeLiteral: (text: string) => string): string {
  const parts = statement.sql.split('?');
  if (parts.length !== statement.params.length + 1) throw new TypeError('placeholder count does not match the values');
  return parts.reduce((text, part, i) => {
    if (i === 0) return part;
    const value = statement.params[i - 1];
    let literal: string;
    if (value === null) literal = 'NULL';
    else if (typeof value === 'number' && Number.isFinite(value)) literal = String(value);
    else if (typeof value === 'string') literal = escapeLiteral(value);
    else throw new TypeError(`cannot inline a ${typeof value}`);
    return text + literal + part;
  });
}

/** `INSERT INTO t (cols) VALUES (?, …)` with an optional tail (`ON CONFLICT …`): the parts around its one row. */
const SINGLE_ROW_INSERT = /^(INSERT INTO [^(]+\([^)]*\)\s*VALUES\s*)(\([?,\s]*\))([\s\S]*)$/;

/**
 * Statements with one SQL text as few multi-row statements: every single-row
 * `INSERT … VALUES (?, …) [ON CONFLICT …]` of a text becomes one `VALUES (…), (…), …` per
 * `maxParams` values, at the place of the text's first statement; other statements stay as
 * they are, in order. For a server that plans each statement (PostgreSQL), hundreds of rows
 * then cost one statement. Only for statements whose order among themselves does not matter
 * and whose rows never share a conflict key (a row cannot be updated twice by one statement).
 * The results are no longer one per statement: for writes whose results are not read.
 */
export function coalesceInserts(statements: readonly Statement[], maxParams = 20_000): Statement[] {
  const groups = new Map<string, Statement[]>();
  const order: (Statement | string)[] = [];
  for (const statement of statements) {
    if (!SINGLE_ROW_INSERT.test(statement.sql)) {
      order.push(statement);
      continue;
    }
    const same = groups.get(statement.sql);
    if (same) same.push(statement);
    else {
      groups.set(statement.sql, [statement]);
      order.push(statement.sql);
    }
  }
  return order.flatMap((item) => {
    if (typeof item !== 'string') return [item];
    const same = groups.get(item) as Statement[];
    const [, head, row, tail] = SINGLE_ROW_INSERT.exec(item) as unknown as [string, string, string, string];
    const perRow = Math.max(1, same[0]?.params.length ?? 1);
    const rowsPerStatement = Math.max(1, Math.floor(maxParams / perRow));
    const merged: Statement[] = [];
    for (let i = 0; i < same.length; i += rowsPerStatement) {
      const part = same.slice(i, i + rowsPerStatement);
      merged.push({ sql: `${head}${part.map(() => row).join(', ')}${tail}`, params: part.flatMap((s) => s.params), want: 'count' });
    }
    return merged;
  });
}
