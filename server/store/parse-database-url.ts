import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';

/** Where a `DATABASE_URL` points. */
export type DatabaseTarget =
  | { engine: 'sqlite'; /** file path, or `:memory:` */ filename: string }
  | { engine: 'postgres'; connectionString: string };

/**
 * Reads `DATABASE_URL`: `postgres://…`/`postgresql://…` is PostgreSQL; `sqlite:PATH`,
 * `sqlite://PATH`, `file:PATH`, `:memory:` or a bare path is SQLite.
 * @throws CollectorError `INVALID_CONFIG` for another scheme.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { engine: 'postgres', connectionString: trimmed };
  const sqlite = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(trimmed);
  if (sqlite?.[1] !== undefined) return { engine: 'sqlite', filename: decodeURIComponent(sqlite[1]) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new CollectorError(
      COLLECTOR_ERROR_CODES.INVALID_CONFIG,
      `Invalid DATABASE_URL: unsupported scheme in ${JSON.stringify(trimmed.replace(/\/\/[^@/]*@/, '//***@'))} (use a file path, sqlite:PATH or postgres://…)`,
    );
  }
  return { engine: 'sqlite', filename: trimmed };
}
