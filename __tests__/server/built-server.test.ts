import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server';
import { openStore } from '../../server';
import { batch, clicks } from '../support/events';
import { startServerProcess } from '../support/collector-process';
import type { CollectorProcess } from '../support/collector-process';
import { withDeadline } from '../support/deadline';
import { post, send } from './support/http';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The installed packages `npm ci --omit=dev` would install, as paths below the repository
 * (`node_modules/fastify`, `node_modules/@scope/name`): no TypeScript, tsx or esbuild among them.
 */
function productionPackages(): string[] {
  const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  return listed.stdout
    .split('\n')
    .map((path) => path.trim().slice(ROOT.length + 1))
    .filter((path) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path));
}

/**
 * A deployment as docs/DEPLOY.md describes it, in a temporary folder: `package.json`, the
 * built `dist/` and a `node_modules` holding the production packages only (links to the
 * repository's, standing in for `npm ci --omit=dev`). The server is built here, so
 * `npm run test:server` needs no earlier `npm run build`.
 */
let app: string;
let databaseUrl: string;
const children: CollectorProcess[] = [];

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'framewire-built-'));
  await copyFile(join(ROOT, 'package.json'), join(app, 'package.json'));
  const packages = productionPackages();
  expect(packages).toContain('node_modules/fastify');
  expect(packages).not.toContain('node_modules/tsx');
  for (const path of packages) {
    await mkdir(join(app, path, '..'), { recursive: true });
    await symlink(join(ROOT, path), join(app, path), 'dir');
  }
  await buildServer({ outDir: join(app, 'dist', 'server') });
  await mkdir(join(app, 'dist', 'dashboard'));
  await writeFile(join(app, 'dist', 'dashboard', 'dashboard.html'), '<!doctype html><title>built dashboard</title>');
  databaseUrl = join(app, 'data', 'framewire.db');
});

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await rm(app, { recursive: true, force: true });
});

/** `node <script>` in the deployment folder, without any loader (no tsx, no NODE_OPTIONS). */
async function startBuilt(env: Record<string, string>): Promise<CollectorProcess> {
  const child = await startServerProcess(join(app, 'dist', 'server', 'main.js'), 'the built collector', { NODE_OPTIONS: '', ...env }, { cwd: app });
  children.push(child);
  return child;
}

describe('the built collector (dist/server/main.js)', () => {
  it('runs under plain node: ready, ingests, serves the dashboard from dist/, and stops gracefully on SIGTERM', async () => {
    const collector = await startBuilt({ DATABASE_URL: databaseUrl, COLLECTOR_PORT: '0', COLLECTOR_LOG_LEVEL: 'warn' });
    const ready = await send(`${collector.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', engine: 'sqlite' });

    const events = clicks(3);
    const answer = await post(collector.url, '/api/track/click/batch', batch(events, 'built'));
    expect(answer.status).toBe(200);
    expect((answer.json as { accepted: string[] }).accepted).toHaveLength(3);

    const dashboard = await send(`${collector.url}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('built dashboard');

    collector.child.kill('SIGTERM');
    expect(await collector.exited).toEqual({ code: 0, signal: null });
    expect(collector.output()).toContain('SIGTERM received: stopping');

    const store = await openStore({ databaseUrl });
    const stored = await store.listEvents({ widgetId: 'built' });
    await store.close();
    expect(stored.map((row) => row.eventId).sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('runs the retention job as dist/server/retention-main.js and exits 0', async () => {
    const child = spawn(process.execPath, [join(app, 'dist', 'server', 'retention-main.js')], {
      cwd: app,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const code = await withDeadline(exit, 20_000, 'the built retention job').catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/retention: done in \d+ ms: 0 events/);
  });
});
