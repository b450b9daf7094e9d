import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/** A throwaway PostgreSQL cluster on a loopback port. */
export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  adminUrl: string;
  port: number;
  /** Creates an empty database and gives its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one statement as the superuser on the `postgres` database (`CHECKPOINT`, `DROP DATABASE …`). */
  adminQuery(sql: string): Promise<void>;
  /** Stops the server and removes its data directory. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startPgCluster}. */
export interface PgClusterOptions {
  /**
   * Flush to disk on commit. Off for tests (a collector crash is what they simulate, not a
   * power cut); on for benchmarks, to measure the real cost.
   * @default false
   */
  fsync?: boolean;
}

const PG_ROOT = '/usr/lib/postgresql';
/** Deadlines of an admin statement: connecting, then the statement (a `CHECKPOINT` with fsync on can take seconds). */
const ADMIN_CONNECT_MS = 10_000;
const ADMIN_STATEMENT_MS = 60_000;
const HOW_TO_GET = 'PostgreSQL server binaries not found: install them (Debian/Ubuntu: apt-get install -y postgresql) and run the tests again';

function findBinDir(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const preferred = versions.includes('15') ? '15' : versions[0];
  return preferred === undefined ? null : join(PG_ROOT, preferred, 'bin');
}

function canInstall(): boolean {
  return process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

/** The PostgreSQL bin directory, installing the packages with apt when we are root and can. */
export function ensurePgBinaries(): string {
  const found = findBinDir();
  if (found !== null) return found;
  if (!canInstall()) throw new Error(HOW_TO_GET);
  const install = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql'], {
    stdio: 'ignore',
    timeout: 600_000,
  });
  const installed = findBinDir();
  if (install.status !== 0 || installed === null) throw new Error(HOW_TO_GET);
  return installed;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root). */
function run(bin: string, tool: string, args: string[]): void {
  const command = asRoot ? 'runuser' : join(bin, tool);
  const fullArgs = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
  execFileSync(command, fullArgs, { stdio: 'pipe', timeout: 60_000 });
}

/**
 * Starts a fresh cluster in a temporary directory on a free loopback port: trust
 * authentication, no unix socket outside the data dir. Call `stop()` when done.
 */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = ensurePgBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'framewire-pg-'));
  const dataDir = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      try {
        run(bin, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      `-c fsync=${options.fsync === true ? 'on' : 'off'}`,
      '-c max_connections=100',
    ].join(' ');
    run(bin, 'pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings]);
    started = true;
  } catch (error) {
    await stop();
    throw new Error(`Cannot start a PostgreSQL cluster: ${(error as Error).message}`, { cause: error });
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let counter = 0;
  const adminQuery = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: ADMIN_CONNECT_MS, query_timeout: ADMIN_STATEMENT_MS });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    port,
    async createDatabase(name = `framewire_${process.pid}_${++counter}`) {
      await adminQuery(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    adminQuery,
    stop,
  };
}
