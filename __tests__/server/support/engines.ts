import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster } from '../../support/pg-cluster';
import type { PgCluster } from '../../support/pg-cluster';

/** A way to get fresh, empty databases of one engine. */
export interface EngineFixture {
  name: 'sqlite' | 'postgres';
  /** A `DATABASE_URL` for a new empty database. */
  freshDatabaseUrl(): Promise<string>;
  /** Removes everything the fixture made. */
  teardown(): Promise<void>;
}

/** SQLite files in a temporary directory. */
export function sqliteFixture(): EngineFixture {
  const dir = mkdtempSync(join(tmpdir(), 'framewire-sqlite-'));
  let counter = 0;
  return {
    name: 'sqlite',
    freshDatabaseUrl: async () => `sqlite:${join(dir, `db-${++counter}.db`)}`,
    teardown: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Databases in a throwaway PostgreSQL cluster, started on first use. */
export function postgresFixture(): EngineFixture {
  let cluster: Promise<PgCluster> | undefined;
  return {
    name: 'postgres',
    freshDatabaseUrl: async () => {
      cluster ??= startPgCluster();
      return (await cluster).createDatabase();
    },
    teardown: async () => {
      if (cluster) await (await cluster).stop();
    },
  };
}

/** One fixture per engine, for `describe.each`. */
export const ENGINES = [
  { name: 'sqlite', create: sqliteFixture },
  { name: 'postgres', create: postgresFixture },
] as const;
