import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from './deadline';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long a collector may take to start (migrations included), and to stop after SIGTERM. */
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 20_000;

/**
 * A collector running in its own process, started by `server/main.ts`: what the durability
 * tests kill mid-request, and what the load benchmark runs so that the collector does not
 * share a core with the load generator.
 */
export interface CollectorProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if the graceful stop has not ended within `STOP_DEADLINE_MS`. */
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` with `env` added and waits for its "listening on" line: at most
 * `START_DEADLINE_MS`, then the process is stopped and the start rejects.
 */
export function startCollectorProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<CollectorProcess> {
  return startServerProcess('server/main.ts', 'the collector', { COLLECTOR_PORT: '0', COLLECTOR_LOG_LEVEL: 'warn', ...env }, options);
}

/** Where and how {@link startServerProcess} runs a script. */
export interface ServerProcessOptions {
  /** The working directory; the repository by default. */
  cwd?: string;
  /** Node's own flags (such as `--cpu-prof`, which `NODE_OPTIONS` does not take). */
  nodeArgs?: readonly string[];
}

/**
 * Starts a server script with `env` added, and waits for the "listening on http://…" line it
 * prints: what the collector, the built collector and the benchmark's floor server share.
 * A `.ts` script runs under `tsx`, a `.js` one under plain `node`; `cwd` defaults to the
 * repository. `name` names it in errors.
 */
export function startServerProcess(script: string, name: string, env: Record<string, string>, options: ServerProcessOptions = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withDeadline(exited, STOP_DEADLINE_MS, `${name} stopping`).catch(() => {
      child.kill('SIGKILL');
      return exited;
    });
  };
  const started = new Promise<CollectorProcess>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ url: match[1], child, output: () => output, exited, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
  });
  return withDeadline(started, START_DEADLINE_MS, `${name} starting`).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
}
