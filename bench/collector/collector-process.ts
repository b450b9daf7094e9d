import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../deadline';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A collector in its own process, so that it does not share a core with the load generator. */
export interface BenchCollector {
  url: string;
  stop(): Promise<void>;
}

/** How long a collector may take to start (migrations included), and to stop after SIGTERM. */
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 20_000;

/**
 * Starts `server/main.ts` with `env` and waits until it listens: at most `START_DEADLINE_MS`,
 * then the process is killed. `stop()` sends SIGTERM and, if the graceful stop has not ended
 * within `STOP_DEADLINE_MS`, SIGKILL.
 */
export function startBenchCollector(env: Record<string, string>): Promise<BenchCollector> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, COLLECTOR_PORT: '0', COLLECTOR_LOG_LEVEL: 'warn', COLLECTOR_RATE_LIMIT_BURST: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withDeadline(exited, STOP_DEADLINE_MS, 'the collector stopping').catch(() => {
      child.kill('SIGKILL');
      return exited;
    });
  };
  const started = new Promise<BenchCollector>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      resolve({
        url: match[1],
        stop: kill,
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`collector exited before listening:\n${output}`)));
  });
  return withDeadline(started, START_DEADLINE_MS, 'the collector starting').catch(async (error: unknown) => {
    await kill();
    throw error;
  });
}
